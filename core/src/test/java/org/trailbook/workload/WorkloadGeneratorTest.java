package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class WorkloadGeneratorTest {
  private static final Instant END = Fixtures.END;
  private static final int N = 20_000;
  private static final WorkloadGenerator GENERATOR = new WorkloadGenerator(WorkloadSpec.benchmark(42, N, END));
  private static List<GeneratedEvent> events;

  @BeforeAll
  static void generate() {
    events = GENERATOR.stream().toList();
  }

  private static Map<String, Double> shares(String field) {
    Map<String, Double> shares = new HashMap<>();
    for (GeneratedEvent e : events) shares.merge(e.event().get(field).asString(), 1.0 / N, Double::sum);
    return shares;
  }

  @Test
  void sameSpecGivesByteIdenticalEvents() {
    WorkloadGenerator again = new WorkloadGenerator(WorkloadSpec.benchmark(42, N, END));
    int n = 0;
    for (GeneratedEvent e : again) {
      if (n % 7 == 0) assertThat(e.json()).isEqualTo(events.get(n).json());
      n++;
    }
    assertThat(n).isEqualTo(N);
  }

  @Test
  void differentSeedGivesDifferentEvents() {
    WorkloadGenerator other = new WorkloadGenerator(WorkloadSpec.benchmark(43, N, END));
    int same = 0;
    for (int n = 0; n < 200; n++) {
      ObjectNode a = events.get(n).event().deepCopy();
      ObjectNode b = other.event(n).event().deepCopy();
      a.remove("id");
      b.remove("id");
      if (a.equals(b)) same++;
    }
    assertThat(same).isZero();
  }

  @Test
  void anyEventCanBeMadeAloneAndEqualsItsPlaceInTheStream() {
    for (int n : new int[] {0, 1, 777, N - 1}) assertThat(GENERATOR.event(n).json()).isEqualTo(events.get(n).json());
    assertThatThrownBy(() -> GENERATOR.event(N)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void idsAreDeterministicAndUnique() {
    for (int n = 0; n < N; n++) assertThat(events.get(n).id()).isEqualTo("evt-42-" + n);
    assertThat(events.stream().map(GeneratedEvent::id).distinct().count()).isEqualTo(N);
  }

  @Test
  void typeMixMatchesWorkloadW() {
    Map<String, Double> types = shares("type");
    assertThat(types.get("api_call")).isCloseTo(0.35, within(0.015));
    assertThat(types.get("user_action")).isCloseTo(0.30, within(0.015));
    assertThat(types.get("background_job") + types.get("system_event")).isCloseTo(0.15, within(0.01));
    assertThat(types.get("webhook_delivery")).isCloseTo(0.10, within(0.01));
    assertThat(types.get("auth")).isCloseTo(0.07, within(0.008));
    assertThat(types.get("error")).isCloseTo(0.03, within(0.005));
  }

  @Test
  void statusMixMatchesWorkloadW() {
    Map<String, Double> statuses = shares("status");
    assertThat(statuses.get("success")).isCloseTo(0.88, within(0.01));
    assertThat(statuses.get("failure")).isCloseTo(0.07, within(0.008));
    assertThat(statuses.get("warning")).isCloseTo(0.03, within(0.006));
    assertThat(statuses.get("pending") + statuses.get("in_progress")).isCloseTo(0.02, within(0.005));
  }

  @Test
  void theLargestWorkspaceHoldsAboutAThird() {
    Map<String, Integer> counts = new HashMap<>();
    for (GeneratedEvent e : events) counts.merge(e.workspace(), 1, Integer::sum);
    assertThat(counts).hasSize(20);
    assertThat(counts.get("ws-01") / (double) N).isCloseTo(1 / 3.0, within(0.025));
    assertThat(counts.get("ws-01")).isGreaterThan(counts.get("ws-02")).isGreaterThan(5 * counts.get("ws-20"));
  }

  @Test
  void timesAscendWithinTheNinetyDaysBeforeEnd() {
    Instant start = END.minus(Duration.ofDays(90));
    Instant previous = start;
    for (GeneratedEvent e : events) {
      Instant t = Instant.parse(e.event().get("time").asString());
      assertThat(t).isAfterOrEqualTo(previous).isBefore(END);
      previous = t;
    }
    assertThat(Instant.parse(events.getFirst().event().get("time").asString())).isBefore(start.plus(Duration.ofDays(1)));
    assertThat(Instant.parse(events.getLast().event().get("time").asString())).isAfter(END.minus(Duration.ofDays(1)));
  }

  @Test
  void markerWordsAppearAtTheirRatesOnlyInMetadataOrBodies() {
    int many = 200_000;
    WorkloadGenerator large = new WorkloadGenerator(WorkloadSpec.benchmark(42, many, END));
    int[] hits = new int[Marker.ALL.size()];
    for (GeneratedEvent e : large) {
      String json = new String(e.json(), StandardCharsets.UTF_8);
      for (int i = 0; i < hits.length; i++) {
        String word = Marker.ALL.get(i).word();
        if (!json.contains(word)) continue;
        hits[i]++;
        ObjectNode rest = e.event().deepCopy();
        rest.remove("metadata");
        if (rest.get("http") instanceof ObjectNode http) {
          ((ObjectNode) http.get("request")).remove("body");
          ((ObjectNode) http.get("response")).remove("body");
        }
        assertThat(rest.toString()).doesNotContain(word);
      }
    }
    assertThat(hits[0] / (double) many).isCloseTo(Marker.QUASAR.rate(), within(0.0003));
    assertThat(hits[1] / (double) many).isCloseTo(Marker.NEBULA.rate(), within(0.003));
  }

  @Test
  void meanCompactSizeIsAboutSixHundredBytes() {
    double mean = events.stream().mapToInt(e -> e.json().length).average().orElseThrow();
    assertThat(mean).isBetween(450.0, 750.0);
  }

  @Test
  void everyEventFollowsTheSchema() {
    for (GeneratedEvent e : events) assertThat(EventSchema.problems(e.event())).as(e.event().toString()).isEmpty();
  }

  @Test
  void failuresAreCoherent() {
    for (GeneratedEvent generated : events) {
      ObjectNode e = generated.event();
      if (!e.get("status").asString().equals("failure")) continue;
      switch (e.get("type").asString()) {
        case "api_call" -> assertThat(e.get("http").get("status_code").asInt()).isGreaterThanOrEqualTo(400);
        case "background_job" -> assertThat(e.get("job").has("error")).isTrue();
        case "webhook_delivery" -> assertThat(e.get("webhook").get("attempts")).allMatch(a -> a.has("error"));
        default -> { }
      }
    }
  }

  @Test
  void actorsAreMostlyUsersAndAFewEventsArePlatformLayer() {
    long users = events.stream().filter(e -> e.event().get("actor").get("type").asString().equals("user")).count();
    long platform = events.stream().filter(e -> e.event().has("layer")).count();
    assertThat(users / (double) N).isBetween(0.5, 0.7);
    assertThat(platform / (double) N).isBetween(0.002, 0.01);
  }

  @Test
  void aSingleWorkspaceSpecPutsEverythingThere() {
    WorkloadGenerator demo = new WorkloadGenerator(WorkloadSpec.singleWorkspace(1, 2_000, "demo", END));
    assertThat(demo.stream().map(GeneratedEvent::workspace).distinct()).containsExactly("demo");
  }

  @Test
  void streamsManyEventsWithoutHoldingThem() {
    WorkloadGenerator big = new WorkloadGenerator(WorkloadSpec.benchmark(9, 200_000, END));
    long count = 0;
    long bytes = 0;
    for (GeneratedEvent e : big) {
      count++;
      bytes += e.json().length;
    }
    assertThat(count).isEqualTo(200_000);
    assertThat(bytes).isPositive();
  }

  @Test
  void workspacesCarryDifferentActorMixes() {
    Map<String, Map<String, Integer>> byWorkspace = new HashMap<>();
    for (GeneratedEvent e : events) {
      if (!e.event().get("actor").get("type").asString().equals("user")) continue;
      byWorkspace.computeIfAbsent(e.workspace(), w -> new HashMap<>())
          .merge(e.event().get("actor").get("id").asString(), 1, Integer::sum);
    }
    assertThat(top(byWorkspace.get("ws-01"))).isNotEqualTo(top(byWorkspace.get("ws-02")));
    long distinct = events.stream().map(e -> e.event().get("actor").get("id").asString()).distinct().count();
    assertThat(distinct).isGreaterThan(1_500);
  }

  private static String top(Map<String, Integer> counts) {
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }
}
