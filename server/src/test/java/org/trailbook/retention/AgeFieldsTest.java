package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.trailbook.Json;
import org.trailbook.canonical.Jcs;
import org.trailbook.journal.Entry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AgeFieldsTest {
  private static Entry entry(JsonNode json) {
    return new Entry("ws", 0, "id", Jcs.canonicalize(json));
  }

  private static Entry entry(String json) {
    return entry(Json.MAPPER.readTree(json));
  }

  @Test
  void readsTheTopLevelMembersNotNestedOnesNamedLikeThem() {
    Entry e = entry("""
        {"actor":{"category":"nested","received_at":"1999"},"category":"audit_log","data":{"received_at":"0"},
         "received_at":"2026-12-07T10:00:00.000000Z","seq":3,"z":{"category":"x"}}""");
    assertThat(AgeFields.of(e)).isEqualTo(new AgeFields("audit_log", "2026-12-07T10:00:00.000000Z"));
  }

  @Test
  void answersLikeTheTreeOnVariedEntries() {
    List<String> entries = List.of(
        "{}",
        "{\"seq\":1}",
        "{\"category\":\"auth\"}",
        "{\"received_at\":\"2026-01-01T00:00:00Z\"}",
        "{\"a\":[{\"category\":\"x\"},[1,2,{\"received_at\":\"y\"}]],\"category\":\"c\",\"received_at\":\"r\",\"zz\":1}",
        "{\"category\":{\"received_at\":\"inner\"},\"received_at\":\"outer\"}",
        "{\"category\":\"audit_log\",\"received_at\":42}",
        "{\"category\":null,\"received_at\":\"r\"}",
        "{\"category\":[\"audit_log\"],\"received_at\":\"r\"}",
        "{\"category\":\"é\\u0000\\\"x\",\"received_at\":\"\\ud83d\\ude00\"}",
        "{\"receivec\":\"r\",\"received_at_x\":\"no\",\"s\":{\"category\":\"no\"}}");
    for (String json : entries) {
      Entry e = entry(json);
      assertThat(AgeFields.of(e)).as(json).isEqualTo(AgeFields.ofTree(e.json()));
    }
  }

  @Property(tries = 1000)
  void answersLikeTheTreeOnGeneratedEntries(@ForAll("entries") JsonNode json) {
    Entry e = entry(json);
    assertThat(AgeFields.of(e)).isEqualTo(AgeFields.ofTree(e.json()));
  }

  @Provide
  Arbitrary<JsonNode> entries() {
    return objects(2);
  }

  private static Arbitrary<JsonNode> arrays(int depth) {
    return objects(depth).list().ofMaxSize(3).map(items -> {
      tools.jackson.databind.node.ArrayNode a = Json.MAPPER.createArrayNode();
      items.forEach(a::add);
      return a;
    });
  }

  private static Arbitrary<JsonNode> objects(int depth) {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("actor", "category", "data", "received_at", "receivedAt", "received_a", "received_b",
        "seq", "time", "zzz", "a\"b", "r\u0001", "\u00e9t\u00e9", "\ud83d\ude00"), Arbitraries.strings().ofMaxLength(4));
    Arbitrary<JsonNode> leaves = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(8).map(s -> Json.MAPPER.getNodeFactory().stringNode(s)),
        Arbitraries.of("audit_log", "auth", "2026-12-07T10:00:00Z", "a\\b\"c", "tab\there", "}],{[\"").map(s -> Json.MAPPER.getNodeFactory().stringNode(s)),
        Arbitraries.of(true, false).map(v -> Json.MAPPER.getNodeFactory().booleanNode(v)),
        Arbitraries.doubles().map(n -> Json.MAPPER.getNodeFactory().numberNode(n)),
        Arbitraries.longs().map(n -> Json.MAPPER.getNodeFactory().numberNode(n)),
        Arbitraries.just(Json.MAPPER.getNodeFactory().nullNode()));
    Arbitrary<JsonNode> values = depth == 0 ? leaves : Arbitraries.oneOf(leaves, leaves, objects(depth - 1), arrays(depth - 1));
    return Arbitraries.maps(keys, values).ofMaxSize(8).map(members -> {
      ObjectNode o = Json.MAPPER.createObjectNode();
      members.forEach(o::set);
      return o;
    });
  }
}
