/**
 * Archives of a workspace log's ranges (retention, docs/retention.md): the file format ({@link
 * org.trailbook.archive.ArchiveFormat}), the writer, and the compact ranges that tie a range of entries to a
 * signed checkpoint's root hash. The offline check is {@code verify.ArchiveVerifier}; targets are in the server.
 */
package org.trailbook.archive;
