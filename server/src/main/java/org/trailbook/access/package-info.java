/** Who may do what: workspaces, API keys with scopes (stored hashed), the platform admin key. */
package org.trailbook.access;
