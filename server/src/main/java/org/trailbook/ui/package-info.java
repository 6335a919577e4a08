/**
 * The Activity Log web page: viewer tokens minted by a host application, the signed session
 * cookie they are exchanged for, the page's configuration, and the static files it is made of.
 */
package org.trailbook.ui;
