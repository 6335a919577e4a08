/**
 * Archiving a workspace log's ranges before retention purges them (docs/retention.md): {@link
 * org.trailbook.archive.Archiver} writes an archive (core {@code archive.ArchiveWriter}) proven against a signed
 * checkpoint and puts it on an {@link org.trailbook.archive.ArchiveTarget}: a directory or S3-compatible storage.
 */
package org.trailbook.archive;
