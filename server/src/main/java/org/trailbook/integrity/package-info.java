/**
 * Verifiable integrity of the running server: one RFC 9162 Merkle tree per workspace fed from the
 * journal's commits, a start-up check that brings each tree level with the journal and refuses
 * writes to any workspace whose history no longer matches what was signed, a background signer of
 * C2SP checkpoints, and a background scrubber that re-verifies whole logs.
 */
package org.trailbook.integrity;
