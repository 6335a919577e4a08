/**
 * Health of the background loops the write path depends on: each loop reports to its {@link
 * org.trailbook.health.PartHealth} (running, progressing, failed with a cause), and the probes
 * ({@code /healthz}, {@code /readyz}) read them through one {@link org.trailbook.health.Liveness}.
 */
package org.trailbook.health;
