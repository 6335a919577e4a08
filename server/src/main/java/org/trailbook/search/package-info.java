/**
 * Finding events: the Lucene index derived from the journal ({@link org.trailbook.search.SearchIndex}), the search
 * language ({@link org.trailbook.search.QueryParser}), filters, pages, facets ({@link org.trailbook.search.EventSearch})
 * and stats ({@link org.trailbook.search.Stats}). The journal stays the source of truth: the index holds no stored
 * fields, only what is needed to find and order entries, whose bytes are then read from the journal by {@code seq}.
 */
package org.trailbook.search;
