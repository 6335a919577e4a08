/**
 * The server's own operational logs (not the audit log): one line per event on stderr, as text or as
 * JSON ({@code TRAILBOOK_LOG_FORMAT}), with the request id of the HTTP request that wrote it.
 */
package org.trailbook.logging;
