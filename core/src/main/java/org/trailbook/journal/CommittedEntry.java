package org.trailbook.journal;

import org.trailbook.merkle.Hash;

/** An entry that has just become durable, with its RFC 9162 leaf hash, as told to listeners. */
public record CommittedEntry(String workspace, long seq, String id, byte[] canonical, Hash leafHash) {}
