package org.trailbook.archive;

/** Archiving's two sides on a node: writing archives before a purge, and restoring them as read-only views. */
public record Archives(Archiver archiver, RestoredArchives restored) {}
