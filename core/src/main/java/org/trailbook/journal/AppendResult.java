package org.trailbook.journal;

/** The place an event took in its log, or, for a re-sent id, the place the original holds. */
public record AppendResult(String id, long seq, boolean duplicate) {}
