package org.trailbook.search;

import java.util.List;
import java.util.Set;

/**
 * The index schema: the Lucene field names and what each event path becomes. Every document carries the workspace,
 * the sort keys ({@code time}, {@code seq}) as points and doc values, keyword fields (terms and doc values) for the
 * filters and facets, a class bit set for stats, and three search fields: {@link #ALL} (every value, tokenised),
 * {@link #KV} ({@code path=value} exact terms) and {@link #NUM} (numbers by path, for ranges).
 */
final class Fields {
  private Fields() {}

  static final String WORKSPACE = "ws";
  static final String TIME = "time";
  static final String SEQ = "seq";
  static final String RECEIVED_AT = "received_at";
  static final String TYPE = "type";
  static final String CATEGORY = "category";
  static final String STATUS = "status";
  static final String LAYER = "layer";
  static final String ACTION = "action";
  static final String ACTOR_TYPE = "actor_type";
  static final String ACTOR_ID = "actor_id";
  static final String ACTOR_EMAIL = "actor_email";
  static final String ACTOR_NAME = "actor_name";
  /** The actor's id, else email, else name: what facets and top actors group by. */
  static final String ACTOR_KEY = "actor_key";
  static final String RESOURCE_TYPE = "resource_type";
  static final String RESOURCE_ID = "resource_id";
  static final String IP = "ip";
  /** {@link EventClassifier} bits. */
  static final String KIND = "kind";
  /** Every string and number value, tokenised: free words and phrases. */
  static final String ALL = "all";
  /** {@code path=lowercased value} for every scalar value up to {@link #MAX_KV_CHARS}: exact field matches. */
  static final String KV = "kv";
  /** Two-dimensional points {@code [hash(path), sortable(value)]} for every number: ranges on any numeric path. */
  static final String NUM = "num";
  /** Prefix of the per-path tokenised fields for the {@link #TEXT_PATHS}. */
  static final String TEXT_PREFIX = "t.";
  static final int MAX_KV_CHARS = 256;

  /** Paths where {@code field:word} also matches a word inside the value, not only the whole value. */
  static final Set<String> TEXT_PATHS = Set.of(
      "summary", "actor.name", "actor.email", "resource.name", "resource.url", "context.user_agent", "context.location",
      "http.url", "error.message", "job.name", "job.error.message", "webhook.endpoint");

  /** Paths never indexed: the workspace is filtered on separately, the rest are structure, not content. */
  static final Set<String> UNINDEXED = Set.of("workspace", "prev_hash", "seq", "time", "received_at");

  /** Time-valued paths: ranges and equality take dates and timestamps. */
  static final Set<String> TIME_PATHS = Set.of("time", "received_at");

  /** The first segment of every searchable path. */
  static final Set<String> TOP_LEVEL = Set.of(
      "id", "time", "received_at", "seq", "type", "action", "category", "status", "layer", "actor", "resource", "context",
      "changes", "http", "webhook", "job", "error", "summary", "metadata");

  /** Top-level objects: naming one alone is an error, except {@code actor} (id or email). */
  static final Set<String> OBJECTS = Set.of("resource", "context", "changes", "http", "webhook", "job", "error", "metadata");

  /** Facet dimensions a request may ask for, with their fields. */
  static final List<String> FACETS = List.of("category", "type", "status", "layer", "action", "actor", "actor_type", "resource_type");

  static String facetField(String facet) {
    return switch (facet) {
      case "actor" -> ACTOR_KEY;
      default -> facet;
    };
  }

  /** A 64-bit FNV-1a hash of a path, the first dimension of {@link #NUM} points. */
  static long pathHash(String path) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < path.length(); i++) {
      h ^= path.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
