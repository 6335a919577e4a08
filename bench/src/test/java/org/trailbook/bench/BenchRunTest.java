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
    BenchRun.Options options = new BenchRun.Options(3000, 7, null, Set.of(), jar, work, 25, 5, 200, java.util.List.of());
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
}
