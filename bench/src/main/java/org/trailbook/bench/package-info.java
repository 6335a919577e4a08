/**
 * The benchmark: workload W through the real server over HTTP, side by side with plain PostgreSQL
 * loaded with the same events; one table and one JSON document out (see shared BENCHMARK.md).
 */
package org.trailbook.bench;
