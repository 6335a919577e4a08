package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark end to end at a small scale: the real server jar and a real embedded PostgreSQL
 * both load the same few thousand events, and every query draw gets the same answer on both
 * sides — the comparison is like with like. No assertion on any timing.
 */
class BenchRunTest {
  @TempDir Path work;

  @Test
  void bothSidesLoadTheSameEventsAndGiveTheSameAnswers() throws Exception {
    Path jar = Path.of("../server/target/trailbook.jar").toAbsolutePath().normalize();
    assertThat(jar).as("the server jar is built before the benchmark module").exists();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    BenchOptions options = new BenchOptions(3000, 7, null, Set.of(), jar, work, 25, 5, 200, java.util.List.of());
    BenchRun.Result result = new BenchRun(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

    assertThat(result.sameAnswers()).as(log.toString(StandardCharsets.UTF_8) + result.firstDifference())
        .containsOnlyKeys("Q1", "Q2", "Q3", "Q4", "Q5", "Q6")
        .doesNotContainValue(false);
    Map<String, Measure> byId = result.measures().stream().collect(Collectors.toMap(Measure::id, m -> m));
    assertThat(byId.get("I1").trailbook().value()).isPositive();
    assertThat(byId.get("I1").postgres().value()).isPositive();
    assertThat(byId.get("Q1").trailbook().runs()).isEqualTo(25);
    assertThat(byId.get("Q1").postgres().runs()).isEqualTo(25);
    assertThat(byId.get("X1").trailbook().value()).as("verify ran on the untouched data").isPositive();
    assertThat(byId.get("R1").postgres().value()).isPositive();

    String json = Report.json(result.measures(), 3000, 7, "test").toString();
    Files.writeString(work.resolve("out.json"), json);
    assertThat(json).contains("\"id\":\"Q5\"").contains("\"ratio\"");
  }

  @Test
  void aLaterSidesAnswersNameTheFirstSidesAuditEntries() {
    // the server picks the ids of a workspace's first two entries, so each side has its own
    Map<String, java.util.List<String>> mine = Map.of("ws-01", java.util.List.of("b-created", "b-key"));
    Map<String, java.util.List<String>> first = Map.of("ws-01", java.util.List.of("a-created", "a-key"));
    java.util.List<Object> answers = java.util.List.of(java.util.List.of("b-key", "b-created", "evt-1-9"), 42L);

    assertThat(BenchRun.sameIds(answers, mine, first))
        .containsExactly(java.util.List.of("a-key", "a-created", "evt-1-9"), 42L);
  }

  @Test
  void thePostgresqlStoreOnTwoNodesGivesThePeersAnswersToo() throws Exception {
    Path jar = Path.of("../server/target/trailbook.jar").toAbsolutePath().normalize();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    BenchOptions options = new BenchOptions(2000, 7, null, Set.of("I1", "Q1", "Q2", "Q4", "Q5"), jar, work, 10, 2, 100,
        java.util.List.of(), java.util.List.of(new BenchStore(BenchStore.Kind.FILE, 1), new BenchStore(BenchStore.Kind.POSTGRESQL, 2)), true);
    BenchRun.Result result = new BenchRun(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

    assertThat(result.sameAnswers()).as(log.toString(StandardCharsets.UTF_8) + result.firstDifference())
        .containsOnlyKeys("Q1", "Q2", "Q4", "Q5", "Q1 on postgresql x2", "Q2 on postgresql x2", "Q4 on postgresql x2", "Q5 on postgresql x2")
        .doesNotContainValue(false);
    assertThat(result.measures()).filteredOn(m -> m.id().equals("R1d")).singleElement()
        .satisfies(m -> assertThat(m.trailbook().value()).as("the store's tables hold the log").isGreaterThan(500));
  }
}
