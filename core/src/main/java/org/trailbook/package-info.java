/** Trailbook core: the event, its canonical bytes, the journal, the Merkle tree and checkpoints. */
package org.trailbook;
