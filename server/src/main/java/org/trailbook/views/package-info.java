/** Saved views: named filter sets of the web page, kept per workspace and person. */
package org.trailbook.views;
