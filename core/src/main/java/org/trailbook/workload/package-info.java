/**
 * The seeded workload generator: realistic, deterministic audit events for the demo data and the
 * benchmark (workload W). Start with {@link org.trailbook.workload.WorkloadSpec} and {@link
 * org.trailbook.workload.WorkloadGenerator}.
 */
package org.trailbook.workload;
