/**
 * The journal: the durable, append-only source of truth. One logical log per workspace, stored in
 * one shared, segmented write-ahead file set and group-committed (see docs/adr/0001).
 */
package org.trailbook.journal;
