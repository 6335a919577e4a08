/**
 * Health of the server's background loops: each loop reports to its {@link
 * org.trailbook.health.PartHealth} (running, backing off, failed; failure count; last cause), loops
 * that may be retried run under a {@link org.trailbook.health.Supervisor} (back-off, one ERROR per
 * failure streak), and the probes ({@code /healthz}, {@code /readyz}) read them all through one
 * {@link org.trailbook.health.Liveness}.
 */
package org.trailbook.health;
