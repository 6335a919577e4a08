package org.trailbook.search;

import java.util.Locale;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Turns one canonical entry into its Lucene document (see {@link Fields} for the schema). */
final class DocumentBuilder {
  private static final FieldType TEXT = textType();
  private final EventClassifier classifier;

  DocumentBuilder(EventClassifier classifier) {
    this.classifier = classifier;
  }

  private static FieldType textType() {
    FieldType t = new FieldType();
    t.setTokenized(true);
    t.setOmitNorms(true);
    t.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    t.freeze();
    return t;
  }

  Document build(String workspace, long seq, byte[] canonical) {
    ObjectNode e = (ObjectNode) Json.MAPPER.readTree(canonical);
    Document d = new Document();
    d.add(new KeywordField(Fields.WORKSPACE, workspace, Field.Store.NO));
    d.add(new LongField(Fields.TIME, java.time.Instant.parse(e.path("time").asString()).toEpochMilli(), Field.Store.NO));
    d.add(new LongField(Fields.SEQ, seq, Field.Store.NO));
    TimeValue.parse(e.path("received_at").asString("")).ifPresent(t -> d.add(new LongPoint(Fields.RECEIVED_AT, t.start())));
    String type = e.path("type").asString("");
    String action = e.path("action").asString("");
    keyword(d, Fields.TYPE, type);
    keyword(d, Fields.ACTION, action);
    keyword(d, Fields.CATEGORY, text(e, "category"));
    keyword(d, Fields.STATUS, text(e, "status"));
    keyword(d, Fields.LAYER, text(e, "layer"));
    JsonNode actor = e.path("actor");
    String actorId = text(actor, "id");
    String actorEmail = text(actor, "email");
    String actorName = text(actor, "name");
    keyword(d, Fields.ACTOR_TYPE, text(actor, "type"));
    keyword(d, Fields.ACTOR_ID, actorId);
    keyword(d, Fields.ACTOR_EMAIL, actorEmail);
    String key = actorId != null ? actorId : actorEmail != null ? actorEmail : actorName;
    keyword(d, Fields.ACTOR_KEY, key);
    if (actorName != null) d.add(new SortedDocValuesField(Fields.ACTOR_NAME, bytes(actorName)));
    JsonNode resource = e.path("resource");
    keyword(d, Fields.RESOURCE_TYPE, text(resource, "type"));
    String resourceId = text(resource, "id");
    if (resourceId != null && resourceId.length() <= 1000) d.add(new StringField(Fields.RESOURCE_ID, resourceId, Field.Store.NO));
    keyword(d, Fields.IP, text(e.path("context"), "ip"));
    boolean hasChanges = e.has("changes") && !e.get("changes").isNull();
    d.add(new NumericDocValuesField(Fields.KIND, classifier.classify(type, action, hasChanges)));
    for (Map.Entry<String, JsonNode> f : e.properties()) {
      if (!Fields.UNINDEXED.contains(f.getKey())) leaves(d, f.getKey(), f.getValue());
    }
    return d;
  }

  /** Every scalar under {@code path}: free text, exact {@code path=value} terms, numbers and per-path text. */
  private static void leaves(Document d, String path, JsonNode n) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> f : n.properties()) leaves(d, path + "." + f.getKey(), f.getValue());
    } else if (n.isArray()) {
      for (JsonNode item : n) leaves(d, path, item);
    } else if (n.isString() || n.isNumber() || n.isBoolean()) {
      String v = n.asString();
      if (!n.isBoolean()) d.add(new Field(Fields.ALL, v, TEXT));
      if (v.length() <= Fields.MAX_KV_CHARS) d.add(new StringField(Fields.KV, path + "=" + v.toLowerCase(Locale.ROOT), Field.Store.NO));
      if (n.isNumber()) d.add(new LongPoint(Fields.NUM, Fields.pathHash(path), Numbers.sortable(n.asDouble())));
      if (n.isString() && Fields.TEXT_PATHS.contains(path)) d.add(new Field(Fields.TEXT_PREFIX + path, v, TEXT));
    }
  }

  private static void keyword(Document d, String field, String value) {
    if (value != null && value.length() <= 1000) d.add(new KeywordField(field, value, Field.Store.NO));
  }

  private static String text(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || !n.isString() ? null : n.asString();
  }

  private static BytesRef bytes(String s) {
    return new BytesRef(s.length() > 1000 ? s.substring(0, 1000) : s);
  }
}
