package org.trailbook.search;

/**
 * {@code GET /v1/stats}: the filter and the window the KPIs and series cover, {@code [windowStart, windowEnd)}; a null
 * start means "from the earliest matching event". {@code bucket} null means the default for the window.
 */
public record StatsRequest(EventFilter filter, Long windowStart, long windowEnd, Bucket bucket) {}
