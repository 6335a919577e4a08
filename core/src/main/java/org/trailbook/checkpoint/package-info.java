/** C2SP tlog-checkpoints in C2SP signed notes: Ed25519 log keys, signing, verification and durable storage of every checkpoint. */
package org.trailbook.checkpoint;
