package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

class EventSchemaTest {
  private static final String GOOD = """
      {"id":"evt-1","time":"2026-11-20T13:45:10.123Z","type":"api_call","action":"contact.updated","status":"success",
       "actor":{"type":"user","id":"u_1","name":"Ada"},"context":{"ip":"2001:db8::1"},
       "http":{"method":"GET","url":"https://x","status_code":200,"latency_ms":3.5,"request":{"headers":{"a":"b"}}}}
      """;

  private static JsonNode parse(String json) {
    return Json.MAPPER.readTree(json);
  }

  @Test
  void acceptsAValidEvent() {
    assertThat(EventSchema.problems(parse(GOOD))).isEmpty();
  }

  @Test
  void rejectsUnknownKeysAtTopLevelAndInside() {
    assertThat(EventSchema.problems(parse(GOOD.replace("\"type\":\"api_call\"", "\"type\":\"api_call\",\"extra\":1"))))
        .contains("unknown key extra");
    assertThat(EventSchema.problems(parse(GOOD.replace("\"name\":\"Ada\"", "\"name\":\"Ada\",\"role\":\"x\""))))
        .contains("unknown key actor.role");
  }

  @Test
  void rejectsBadValues() {
    assertThat(EventSchema.problems(parse(GOOD.replace("13:45:10.123Z", "13:45:10Z")))).isNotEmpty();
    assertThat(EventSchema.problems(parse(GOOD.replace("2001:db8::1", "300.1.2.3")))).isNotEmpty();
    assertThat(EventSchema.problems(parse(GOOD.replace("\"status_code\":200", "\"status_code\":\"200\"")))).isNotEmpty();
    assertThat(EventSchema.problems(parse(GOOD.replace("\"a\":\"b\"", "\"a\":1")))).isNotEmpty();
    assertThat(EventSchema.problems(parse(GOOD.replace("\"latency_ms\":3.5", "\"latency_ms\":18014398509481984"))))
        .isNotEmpty();
    assertThat(EventSchema.problems(parse(GOOD.replace("\"status\":\"success\"", "\"status\":\"ok\"")))).isNotEmpty();
    assertThat(EventSchema.problems(parse(GOOD.replace("\"id\":\"evt-1\"", "\"id\":\"evt 1\"")))).isNotEmpty();
  }
}
