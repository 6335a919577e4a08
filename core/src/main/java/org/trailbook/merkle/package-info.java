/** RFC 9162 Merkle trees: hashing, inclusion and consistency proofs, their verification and the on-disk node store. */
package org.trailbook.merkle;
