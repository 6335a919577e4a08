package org.trailbook.retention;

/**
 * A workspace's chosen retention: entries are kept {@code days} days after they were received ({@code null}:
 * forever), and with {@code archive} a range is archived before it is purged.
 */
public record RetentionPolicy(Integer days, boolean archive) {}
