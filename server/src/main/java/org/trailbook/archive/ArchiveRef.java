package org.trailbook.archive;

/**
 * An archive stored on the target: the range it holds ({@code count} seqs, {@code entries} of them whole entries, the
 * rest purged before and held as leaf hashes), the tree size of the checkpoint it is proven against, where it is ({@code file:///…} or {@code s3://bucket/…}), and the SHA-256 (hex) and size of the file's bytes. The purger
 * puts these into the {@code audit_log.purged} record, so the log itself names the exact file that holds what it
 * purged.
 */
public record ArchiveRef(String workspace, long fromSeq, long toSeq, long count, long entries, long treeSize, String location, String sha256,
    long bytes) {}
