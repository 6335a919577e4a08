package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

class ChangedFieldsTest {
  private static JsonNode json(String s) {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void listsChangedAddedAndRemovedLeavesSorted() {
    assertThat(ChangedFields.between(json("{\"b\":1,\"a\":1,\"c\":1}"), json("{\"a\":2,\"c\":1,\"d\":1}")))
        .containsExactly("a", "b", "d");
  }

  @Test
  void recursesIntoNestedObjectsWithDottedPaths() {
    assertThat(ChangedFields.between(
            json("{\"user\":{\"name\":\"A\",\"address\":{\"city\":\"X\",\"zip\":\"1\"}}}"),
            json("{\"user\":{\"name\":\"A\",\"address\":{\"city\":\"Y\",\"zip\":\"1\"},\"role\":\"admin\"}}")))
        .containsExactly("user.address.city", "user.role");
  }

  @Test
  void comparesArraysAsWholeValues() {
    assertThat(ChangedFields.between(json("{\"tags\":[1,2]}"), json("{\"tags\":[2,1]}"))).containsExactly("tags");
    assertThat(ChangedFields.between(json("{\"tags\":[1,2]}"), json("{\"tags\":[1,2]}"))).isEmpty();
  }

  @Test
  void aTypeChangeIsAChangeAtThatPath() {
    assertThat(ChangedFields.between(json("{\"a\":{\"b\":1}}"), json("{\"a\":\"text\"}"))).containsExactly("a");
    assertThat(ChangedFields.between(json("{\"a\":1}"), json("{\"a\":\"1\"}"))).containsExactly("a");
    assertThat(ChangedFields.between(json("{\"a\":null}"), json("{}"))).containsExactly("a");
  }

  @Test
  void numbersCompareByValue() {
    assertThat(ChangedFields.between(json("{\"a\":1}"), json("{\"a\":1.0}"))).isEmpty();
  }

  @Test
  void aMissingSideCountsAsEmpty() {
    assertThat(ChangedFields.between(null, json("{\"a\":{\"b\":1},\"c\":2}"))).containsExactly("a.b", "c");
    assertThat(ChangedFields.between(json("{\"a\":1}"), null)).containsExactly("a");
  }

  @Test
  void anAddedEmptyObjectIsListed() {
    assertThat(ChangedFields.between(json("{}"), json("{\"a\":{}}"))).containsExactly("a");
    assertThat(ChangedFields.between(json("{\"a\":{}}"), json("{\"a\":{}}"))).isEmpty();
  }
}
