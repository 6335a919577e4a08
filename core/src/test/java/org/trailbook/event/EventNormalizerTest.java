package org.trailbook.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.Problem;
import org.trailbook.event.EventBatchParser.Format;
import tools.jackson.databind.node.ObjectNode;

class EventNormalizerTest {
  private static final Instant RECEIVED = Instant.parse("2024-05-01T12:00:00.123456Z");
  private final EventBatchParser parser = new EventBatchParser();
  private final EventNormalizer normalizer = new EventNormalizer();

  private List<ObjectNode> normalizeAll(String body) {
    return normalizer.normalize(parser.parse(body.getBytes(UTF_8), Format.JSON), RECEIVED);
  }

  private ObjectNode normalize(String event) {
    return normalizeAll(event).get(0);
  }

  private InvalidInputException failure(String body) {
    return catchThrowableOfType(InvalidInputException.class, () -> normalizeAll(body));
  }

  private List<Problem> problems(String body) {
    InvalidInputException e = failure(body);
    assertThat(e).as("expected the event to be refused").isNotNull();
    assertThat(e.code()).isEqualTo("invalid_event");
    return e.problems();
  }

  /** The single problem of a one-event batch with action a.b plus the given fields. */
  private Problem problem(String fields) {
    List<Problem> all = problems("{\"action\":\"a.b\"" + (fields.isEmpty() ? "" : "," + fields) + "}");
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static Problem p(String field, String problem) {
    return new Problem(0, field, problem);
  }

  // ---- defaults ----

  @Test
  void appliesEveryDefault() {
    ObjectNode e = normalize("{\"action\":\"campaign.launched\"}");
    assertThat(e.get("id").stringValue()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(e.get("time").stringValue()).isEqualTo("2024-05-01T12:00:00.123Z");
    assertThat(e.get("type").stringValue()).isEqualTo("user_action");
    assertThat(e.get("category").stringValue()).isEqualTo("campaign");
    assertThat(e.get("status").stringValue()).isEqualTo("success");
    assertThat(e.get("layer").stringValue()).isEqualTo("workspace");
    assertThat(e.get("actor")).isEqualTo(Json.MAPPER.readTree("{\"type\":\"system\",\"name\":\"System\"}"));
    assertThat(e.get("summary").stringValue()).isEqualTo("System launched a campaign");
  }

  @Test
  void neverAddsServerAssignedFieldsOrAbsentSections() {
    ObjectNode e = normalize("{\"action\":\"a\"}");
    assertThat(e.propertyNames()).containsExactly("id", "time", "type", "action", "category", "status", "layer", "summary", "actor");
  }

  @Test
  void categoryDefaultsToTheWholeActionWithoutDotsAndIsCutTo64() {
    assertThat(normalize("{\"action\":\"deploy\"}").get("category").stringValue()).isEqualTo("deploy");
    String longSegment = "a".repeat(100);
    assertThat(normalize("{\"action\":\"" + longSegment + ".x\"}").get("category").stringValue()).hasSize(64);
  }

  @Test
  void givenActorGetsTypeUser() {
    assertThat(normalize("{\"action\":\"a\",\"actor\":{\"id\":\"u1\"}}").get("actor"))
        .isEqualTo(Json.MAPPER.readTree("{\"type\":\"user\",\"id\":\"u1\"}"));
  }

  @Test
  void nullMeansNotGiven() {
    ObjectNode e = normalize("{\"action\":\"a\",\"id\":null,\"status\":null,\"actor\":null,\"resource\":null,\"metadata\":null}");
    assertThat(e.get("status").stringValue()).isEqualTo("success");
    assertThat(e.get("actor").get("type").stringValue()).isEqualTo("system");
    assertThat(e.has("resource")).isFalse();
    assertThat(e.has("metadata")).isFalse();
  }

  @Test
  void keepsGivenValues() {
    ObjectNode e = normalize("""
        {"id":"evt_01:a.b~c@d+e=","time":"2024-05-01T14:00:00.5+02:00","type":"security","action":"auth.login_failed",
         "category":"login","status":"failure","layer":"platform","summary":"Custom line","metadata":{"k":[1,2.5,true,null]}}""");
    assertThat(e.get("id").stringValue()).isEqualTo("evt_01:a.b~c@d+e=");
    assertThat(e.get("time").stringValue()).isEqualTo("2024-05-01T12:00:00.500Z");
    assertThat(e.get("type").stringValue()).isEqualTo("security");
    assertThat(e.get("category").stringValue()).isEqualTo("login");
    assertThat(e.get("status").stringValue()).isEqualTo("failure");
    assertThat(e.get("layer").stringValue()).isEqualTo("platform");
    assertThat(e.get("summary").stringValue()).isEqualTo("Custom line");
    assertThat(e.get("metadata").toString()).isEqualTo("{\"k\":[1,2.5,true,null]}");
  }

  @Test
  void customTypesAreLowerSnakeWords() {
    assertThat(normalize("{\"action\":\"a\",\"type\":\"billing_v2\"}").get("type").stringValue()).isEqualTo("billing_v2");
  }

  // ---- top-level rules ----

  @Test
  void actionIsRequired() {
    assertThat(problems("{}")).containsExactly(p("action", "is required"));
    assertThat(problems("{\"action\":null}")).containsExactly(p("action", "is required"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"''", ".a", "a.", "a..b", "a b", "a/b", "ä"})
  void actionMustBeDottedSegments(String action) {
    assertThat(problems("{\"action\":\"" + action + "\"}")).containsExactly(p("action",
        "must be 1–128 characters: segments of A–Z, a–z, 0–9, _ and - joined by single dots (e.g. campaign.launched)"));
  }

  @Test
  void actionIsAtMost128Characters() {
    assertThat(normalize("{\"action\":\"" + "a".repeat(128) + "\"}").get("action").stringValue()).hasSize(128);
    assertThat(problems("{\"action\":\"" + "a".repeat(129) + "\"}")).extracting(Problem::field).containsExactly("action");
  }

  @Test
  void unknownTopLevelFieldsPointToMetadata() {
    assertThat(problem("\"foo\":1")).isEqualTo(p("foo", "unknown field; put custom data in metadata"));
  }

  @Test
  void serverFieldsAreRefused() {
    assertThat(problems("{\"action\":\"a\",\"workspace\":\"w\",\"seq\":1,\"received_at\":\"x\",\"prev_hash\":\"h\"}"))
        .containsExactly(p("workspace", "is assigned by the server"), p("seq", "is assigned by the server"),
            p("received_at", "is assigned by the server"), p("prev_hash", "is assigned by the server"));
  }

  @Test
  void idRules() {
    String rule = "must be 1–128 characters of A–Z, a–z, 0–9 and - _ . : ~ @ + =";
    assertThat(problem("\"id\":\"\"")).isEqualTo(p("id", rule));
    assertThat(problem("\"id\":\"a b\"")).isEqualTo(p("id", rule));
    assertThat(problem("\"id\":\"a/b\"")).isEqualTo(p("id", rule));
    assertThat(problem("\"id\":\"" + "a".repeat(129) + "\"")).isEqualTo(p("id", rule));
    assertThat(problem("\"id\":5")).isEqualTo(p("id", "must be a string"));
    assertThat(normalize("{\"action\":\"a\",\"id\":\"" + "a".repeat(128) + "\"}").get("id").stringValue()).hasSize(128);
  }

  @Test
  void timeRules() {
    assertThat(problem("\"time\":\"2024-05-01T12:00:00\""))
        .isEqualTo(p("time", "must be an RFC 3339 date-time with an offset, like 2024-05-01T12:00:00Z"));
    assertThat(problem("\"time\":\"1969-12-31T23:59:59Z\""))
        .isEqualTo(p("time", "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z"));
    assertThat(problem("\"time\":1714564800")).isEqualTo(p("time", "must be a string"));
  }

  @Test
  void typeRules() {
    String rule = "must be a lower_snake_case word: a–z first, then up to 63 of a–z, 0–9 and _";
    assertThat(problem("\"type\":\"Api_Call\"")).isEqualTo(p("type", rule));
    assertThat(problem("\"type\":\"1x\"")).isEqualTo(p("type", rule));
    assertThat(problem("\"type\":\"a" + "b".repeat(64) + "\"")).isEqualTo(p("type", rule));
  }

  @Test
  void categoryRules() {
    assertThat(problem("\"category\":\"a.b\"")).isEqualTo(p("category", "must be 1–64 characters of A–Z, a–z, 0–9, _ and -"));
    assertThat(problem("\"category\":\"" + "c".repeat(65) + "\"")).isEqualTo(p("category", "must be 1–64 characters of A–Z, a–z, 0–9, _ and -"));
  }

  @Test
  void statusRule() {
    assertThat(problem("\"status\":\"ok\"")).isEqualTo(p("status", "must be one of success, failure, warning, pending, in_progress"));
    assertThat(problem("\"status\":true")).isEqualTo(p("status", "must be a string"));
  }

  @Test
  void layerRule() {
    assertThat(problem("\"layer\":\"global\"")).isEqualTo(p("layer", "must be one of workspace, platform"));
  }

  @Test
  void summaryRules() {
    assertThat(problem("\"summary\":\"" + "s".repeat(1001) + "\"")).isEqualTo(p("summary", "must be at most 1000 characters"));
    assertThat(problem("\"summary\":\"two\\nlines\"")).isEqualTo(p("summary", "must be a single line"));
  }

  @Test
  void metadataMustBeAnObject() {
    assertThat(problem("\"metadata\":[1]")).isEqualTo(p("metadata", "must be an object"));
  }

  // ---- fixed-schema objects ----

  @Test
  void actorRules() {
    assertThat(problem("\"actor\":\"bob\"")).isEqualTo(p("actor", "must be an object"));
    assertThat(problem("\"actor\":{\"type\":\"robot\"}")).isEqualTo(p("actor.type", "must be one of user, api_key, system, external"));
    assertThat(problem("\"actor\":{\"email\":3}")).isEqualTo(p("actor.email", "must be a string"));
    assertThat(problem("\"actor\":{\"name\":\"" + "n".repeat(513) + "\"}")).isEqualTo(p("actor.name", "must be at most 512 characters"));
    assertThat(problem("\"actor\":{\"role\":\"admin\"}")).isEqualTo(p("actor.role", "unknown field; put custom data in metadata"));
  }

  @Test
  void resourceRules() {
    assertThat(problem("\"resource\":{\"url\":\"" + "u".repeat(8193) + "\"}")).isEqualTo(p("resource.url", "must be at most 8192 characters"));
    assertThat(problem("\"resource\":{\"owner\":\"x\"}")).isEqualTo(p("resource.owner", "unknown field; put custom data in metadata"));
  }

  @Test
  void contextIpIsValidatedAndNormalized() {
    ObjectNode e = normalize("{\"action\":\"a\",\"context\":{\"ip\":\"2001:DB8:0:0:0:0:0:1\",\"user_agent\":\"curl\",\"request_id\":\"r\",\"session_id\":\"s\"}}");
    assertThat(e.at("/context/ip").stringValue()).isEqualTo("2001:db8::1");
    assertThat(problem("\"context\":{\"ip\":\"example.com\"}")).isEqualTo(p("context.ip", "must be an IPv4 or IPv6 address literal"));
  }

  @Test
  void contextLocationIsAStringOrAnObject() {
    assertThat(normalize("{\"action\":\"a\",\"context\":{\"location\":\"Paris\"}}").at("/context/location").stringValue()).isEqualTo("Paris");
    assertThat(normalize("{\"action\":\"a\",\"context\":{\"location\":{\"city\":\"Paris\",\"lat\":48.8}}}").at("/context/location/lat").doubleValue()).isEqualTo(48.8);
    assertThat(problem("\"context\":{\"location\":[1]}")).isEqualTo(p("context.location", "must be a string or an object"));
    assertThat(problem("\"context\":{\"country\":\"FR\"}")).isEqualTo(p("context.country", "unknown field; put custom data in metadata"));
  }

  @Test
  void changesGetTheirFieldsDerived() {
    ObjectNode e = normalize("{\"action\":\"a\",\"changes\":{\"before\":{\"name\":\"A\",\"plan\":{\"seats\":1}},\"after\":{\"name\":\"B\",\"plan\":{\"seats\":1},\"tags\":[]}}}");
    assertThat(e.at("/changes/fields").toString()).isEqualTo("[\"name\",\"tags\"]");
    assertThat(normalize("{\"action\":\"a\",\"changes\":{\"after\":{\"x\":1}}}").at("/changes/fields").toString()).isEqualTo("[\"x\"]");
  }

  @Test
  void changesRules() {
    assertThat(problem("\"changes\":{\"before\":{},\"after\":{},\"fields\":[\"x\"]}"))
        .isEqualTo(p("changes.fields", "is computed by the server; send only before and after"));
    assertThat(problem("\"changes\":{}")).isEqualTo(p("changes", "must have before, after or both"));
    assertThat(problem("\"changes\":{\"after\":3}")).isEqualTo(p("changes.after", "must be an object"));
    assertThat(problem("\"changes\":{\"after\":{},\"diff\":1}")).isEqualTo(p("changes.diff", "unknown field; put custom data in metadata"));
    assertThat(problem("\"changes\":[]")).isEqualTo(p("changes", "must be an object"));
  }

  @Test
  void httpIsValidatedAndNormalized() {
    ObjectNode e = normalize("""
        {"action":"api.called","http":{"method":"post","url":"/v1/x","status_code":201,"latency_ms":12.5,
         "request":{"headers":{"Accept":["a","b"],"X-Id":"1"},"body":{"n":1}},"response":{"body":"ok"}}}""");
    assertThat(e.at("/http/method").stringValue()).isEqualTo("POST");
    assertThat(e.at("/http/status_code").intValue()).isEqualTo(201);
    assertThat(e.at("/http/latency_ms").doubleValue()).isEqualTo(12.5);
    assertThat(e.at("/http/request/headers/Accept/1").stringValue()).isEqualTo("b");
    assertThat(e.at("/http/response/body").stringValue()).isEqualTo("ok");
  }

  @Test
  void httpRules() {
    assertThat(problem("\"http\":{\"status_code\":99}")).isEqualTo(p("http.status_code", "must be an integer between 100 and 599"));
    assertThat(problem("\"http\":{\"status_code\":600}")).isEqualTo(p("http.status_code", "must be an integer between 100 and 599"));
    assertThat(problem("\"http\":{\"status_code\":200.5}")).isEqualTo(p("http.status_code", "must be an integer between 100 and 599"));
    assertThat(problem("\"http\":{\"status_code\":\"200\"}")).isEqualTo(p("http.status_code", "must be an integer between 100 and 599"));
    assertThat(problem("\"http\":{\"latency_ms\":-1}")).isEqualTo(p("http.latency_ms", "must be a number of at least 0"));
    assertThat(problem("\"http\":{\"latency_ms\":\"5\"}")).isEqualTo(p("http.latency_ms", "must be a number"));
    assertThat(problem("\"http\":{\"method\":\"GET /\"}")).isEqualTo(p("http.method", "must be 1–32 letters or -, like GET or POST"));
    assertThat(problem("\"http\":{\"request\":{\"headers\":{\"A\":1}}}")).isEqualTo(p("http.request.headers.A", "must be a string or an array of strings"));
    assertThat(problem("\"http\":{\"request\":{\"headers\":{\"A\":[\"x\",2]}}}")).isEqualTo(p("http.request.headers.A[1]", "must be a string"));
    assertThat(problem("\"http\":{\"request\":{\"headers\":[]}}")).isEqualTo(p("http.request.headers", "must be an object"));
    assertThat(problem("\"http\":{\"response\":{\"status\":200}}")).isEqualTo(p("http.response.status", "unknown field; put custom data in metadata"));
    assertThat(problem("\"http\":{\"host\":\"x\"}")).isEqualTo(p("http.host", "unknown field; put custom data in metadata"));
  }

  @Test
  void webhookAttemptsAreValidatedAndTheirTimesNormalized() {
    ObjectNode e = normalize("""
        {"action":"webhook.delivered","type":"webhook_delivery","webhook":{"event":"invoice.paid","endpoint":"https://h.io/x",
         "attempts":[{"at":"2024-05-01T12:00:00+01:00","status_code":500,"latency_ms":30,"error":"timeout"}],"retry_count":1}}""");
    assertThat(e.at("/webhook/attempts/0/at").stringValue()).isEqualTo("2024-05-01T11:00:00.000Z");
    assertThat(e.get("summary").stringValue()).isEqualTo("Webhook invoice.paid delivered to https://h.io/x");
  }

  @Test
  void webhookRules() {
    assertThat(problem("\"webhook\":{\"attempts\":[{}, {}, {\"at\":\"yesterday\"}]}"))
        .isEqualTo(p("webhook.attempts[2].at", "must be an RFC 3339 date-time with an offset, like 2024-05-01T12:00:00Z"));
    assertThat(problem("\"webhook\":{\"attempts\":{}}")).isEqualTo(p("webhook.attempts", "must be an array"));
    assertThat(problem("\"webhook\":{\"attempts\":[1]}")).isEqualTo(p("webhook.attempts[0]", "must be an object"));
    assertThat(problem("\"webhook\":{\"attempts\":[{\"try\":1}]}")).isEqualTo(p("webhook.attempts[0].try", "unknown field; put custom data in metadata"));
    assertThat(problem("\"webhook\":{\"retry_count\":-1}")).isEqualTo(p("webhook.retry_count", "must be an integer of at least 0"));
    assertThat(problem("\"webhook\":{\"retry_count\":1.5}")).isEqualTo(p("webhook.retry_count", "must be an integer"));
  }

  @Test
  void jobAndErrorRules() {
    ObjectNode e = normalize("{\"action\":\"job.completed\",\"job\":{\"name\":\"nightly\",\"trigger\":\"cron\",\"duration_ms\":1500,\"processed\":42,\"error\":{\"message\":\"m\",\"type\":\"T\",\"stack\":\"s\"}},\"error\":{\"message\":\"m\"}}");
    assertThat(e.at("/job/processed").intValue()).isEqualTo(42);
    assertThat(e.get("summary").stringValue()).isEqualTo("System completed job \"nightly\"");
    assertThat(problem("\"job\":{\"processed\":-2}")).isEqualTo(p("job.processed", "must be an integer of at least 0"));
    assertThat(problem("\"job\":{\"duration_ms\":-2}")).isEqualTo(p("job.duration_ms", "must be a number of at least 0"));
    assertThat(problem("\"job\":{\"error\":{\"code\":1}}")).isEqualTo(p("job.error.code", "unknown field; put custom data in metadata"));
    assertThat(problem("\"error\":{\"stack\":[\"a\"]}")).isEqualTo(p("error.stack", "must be a string"));
    assertThat(problem("\"error\":\"boom\"")).isEqualTo(p("error", "must be an object"));
  }

  // ---- numbers, strings ----

  @Test
  void integersBeyondTwoToThe53AreRefusedNamingTheField() {
    String rule = "must be an integer between -(2^53) and 2^53 (I-JSON)";
    assertThat(problem("\"metadata\":{\"n\":9007199254740993}")).isEqualTo(p("metadata.n", rule));
    assertThat(problem("\"metadata\":{\"n\":[-9007199254740993]}")).isEqualTo(p("metadata.n[0]", rule));
    assertThat(problem("\"metadata\":{\"n\":123456789012345678901234567890}")).isEqualTo(p("metadata.n", rule));
    assertThat(problem("\"webhook\":{\"retry_count\":9007199254740993}")).isEqualTo(p("webhook.retry_count", rule));
    assertThat(normalize("{\"action\":\"a\",\"metadata\":{\"n\":9007199254740992,\"m\":-9007199254740992}}").at("/metadata/n").longValue())
        .isEqualTo(1L << 53);
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    assertThat(problem("\"metadata\":{\"x\":1e400}")).isEqualTo(p("metadata.x", "must be a finite number (I-JSON)"));
    assertThat(problem("\"http\":{\"latency_ms\":-1e400}")).isEqualTo(p("http.latency_ms", "must be a finite number (I-JSON)"));
  }

  @Test
  void freeStringsAreLimitedAndMustBeWellFormed() {
    EventNormalizer small = new EventNormalizer(Limits.DEFAULTS.withMaxStringChars(5), new Redactor(RedactionRules.DEFAULTS), new UuidV7());
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> small.normalize(
        parser.parse("{\"action\":\"a\",\"metadata\":{\"s\":\"123456\",\"ok\":\"12345\"}}".getBytes(UTF_8), Format.JSON), RECEIVED));
    assertThat(e.problems()).containsExactly(p("metadata.s", "must be at most 5 characters"));
    assertThat(problem("\"metadata\":{\"s\":\"\\ud800\"}")).isEqualTo(p("metadata.s", "must not contain unpaired surrogates (I-JSON)"));
    assertThat(problem("\"error\":{\"message\":\"" + "m".repeat(65_537) + "\"}")).isEqualTo(p("error.message", "must be at most 65536 characters"));
    assertThat(problem("\"metadata\":{\"" + "k".repeat(1025) + "\":1}").problem()).isEqualTo("has a key longer than 1024 characters");
  }

  // ---- batches ----

  @Test
  void collectsProblemsAcrossTheBatchAndStoresNothing() {
    InvalidInputException e = failure("[{\"action\":\"ok\"},{\"status\":\"x\"},{\"action\":\"ok\",\"foo\":1}]");
    assertThat(e.code()).isEqualTo("invalid_event");
    assertThat(e.getMessage()).isEqualTo("2 events are invalid; nothing was stored");
    assertThat(e.problems()).containsExactly(
        new Problem(1, "action", "is required"),
        new Problem(1, "status", "must be one of success, failure, warning, pending, in_progress"),
        new Problem(2, "foo", "unknown field; put custom data in metadata"));
    assertThat(failure("{}").getMessage()).isEqualTo("1 event is invalid; nothing was stored");
  }

  @Test
  void capsTheProblemListAtOneHundredAndSaysSo() {
    InvalidInputException e = failure("[" + String.join(",", java.util.Collections.nCopies(150, "{}")) + "]");
    assertThat(e.problems()).hasSize(100);
    assertThat(e.getMessage()).isEqualTo("150 events are invalid; nothing was stored (150 problems; the first 100 are listed)");
  }

  @Test
  void keepsBatchOrderAndGivesEachEventItsOwnId() {
    List<ObjectNode> out = normalizeAll("[{\"action\":\"a\"},{\"action\":\"b\"}]");
    assertThat(out).extracting(e -> e.get("action").stringValue()).containsExactly("a", "b");
    assertThat(out.get(0).get("id")).isNotEqualTo(out.get(1).get("id"));
  }

  @Test
  void errorsNeverEchoValues() {
    InvalidInputException e = failure("{\"action\":\"hunter2 x\",\"status\":\"hunter2\",\"id\":\"hunter2 \",\"time\":\"hunter2\",\"context\":{\"ip\":\"hunter2\"}}");
    assertThat(e.getMessage()).doesNotContain("hunter2");
    assertThat(e.problems()).allSatisfy(pr -> assertThat(pr.problem() + pr.field()).doesNotContain("hunter2"));
  }

  // ---- redaction ----

  @Test
  void redactsBeforeReturningAndStillRecordsThatASecretChanged() {
    ObjectNode e = normalize("""
        {"action":"user.updated","resource":{"type":"user","name":"Bo","url":"https://a.io/u?token=zz-secret-t1"},
         "changes":{"before":{"password":"zz-secret-p1"},"after":{"password":"zz-secret-p2"}},
         "http":{"url":"https://a.io/?api_key=zz-secret-k1","request":{"headers":{"Authorization":"Bearer zz-secret-b1"},"body":"{\\"secret\\":\\"zz-secret-s1\\"}"}},
         "metadata":{"stripe":{"api_key":"zz-secret-k2"}}}""");
    String out = e.toString();
    for (String secret : List.of("zz-secret-t1", "zz-secret-p1", "zz-secret-p2", "zz-secret-k1", "zz-secret-b1", "zz-secret-s1", "zz-secret-k2")) assertThat(out).doesNotContain(secret);
    assertThat(e.at("/changes/fields/0").stringValue()).isEqualTo("password");
    assertThat(e.at("/resource/url").stringValue()).isEqualTo("https://a.io/u?token=[REDACTED]");
  }

  @Test
  void summaryUsesTheRedactedEndpoint() {
    ObjectNode e = normalize("{\"action\":\"webhook.sent\",\"webhook\":{\"event\":\"e\",\"endpoint\":\"https://h.io/?token=zz9\"}}");
    assertThat(e.get("summary").stringValue()).isEqualTo("Webhook e delivered to https://h.io/?token=[REDACTED]");
  }

  @Provide
  Arbitrary<String> places() {
    return Arbitraries.of("metadata", "before", "after", "body", "stringBody", "location", "headers");
  }

  @Provide
  Arbitrary<List<String>> nesting() {
    return Arbitraries.of("a", "b", "[]", "user", "data").list().ofMaxSize(8);
  }

  @Property(tries = 300)
  void aSecretUnderASecretKeyNeverAppearsInTheOutput(
      @ForAll("places") String place, @ForAll("nesting") List<String> path,
      @ForAll("keys") String key) {
    String secret = "Zq" + Integer.toHexString(path.hashCode() ^ key.hashCode()) + "Xw";
    String value = "{\"" + key + "\":\"" + secret + "\"}";
    for (int i = path.size() - 1; i >= 0; i--) {
      value = path.get(i).equals("[]") ? "[" + value + "]" : "{\"" + path.get(i) + "\":" + value + "}";
    }
    if (!value.startsWith("{")) value = "{\"w\":" + value + "}";
    String event = switch (place) {
      case "metadata" -> "\"metadata\":" + value;
      case "before" -> "\"changes\":{\"before\":" + value + "}";
      case "after" -> "\"changes\":{\"after\":" + value + "}";
      case "body" -> "\"http\":{\"response\":{\"body\":" + value + "}}";
      case "stringBody" -> "\"http\":{\"request\":{\"body\":" + Json.MAPPER.writeValueAsString(value) + "}}";
      case "location" -> "\"context\":{\"location\":" + value + "}";
      default -> "\"http\":{\"request\":{\"headers\":{\"" + key + "\":\"" + secret + "\"}}}";
    };
    ObjectNode out = normalize("{\"action\":\"a.b\"," + event + "}");
    assertThat(Json.MAPPER.writeValueAsString(out)).doesNotContain(secret);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of("password", "Password", "api_key", "X-Api-Key", "client_secret", "refresh_token", "privateKey",
        "aws_credentials", "authorization", "Cookie", "passwd");
  }
}
