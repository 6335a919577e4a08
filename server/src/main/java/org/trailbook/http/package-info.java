/** The HTTP API: routes, credentials from bearer tokens, and the one place errors become statuses. */
package org.trailbook.http;
