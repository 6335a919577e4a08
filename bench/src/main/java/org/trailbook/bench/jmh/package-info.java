/**
 * JMH micro-benchmarks of the hot inner pieces: canonical serialization, leaf hashing, the
 * journal's group commit. Run: {@code java -cp bench/target/trailbook-bench.jar org.openjdk.jmh.Main}.
 */
package org.trailbook.bench.jmh;
