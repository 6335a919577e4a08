package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R2 end to end at a small scale: the real server jar ages the oldest 90% of W by its own clock
 * (libfaketime), purges exactly them through the run route, keeps the access trail, still verifies
 * with {@code verify --data}; the peer deletes the very same rows. No assertion on any timing.
 */
class RetentionBenchTest {
  @TempDir Path work;

  @Test
  void theOldestNinetyPercentArePurgedOnBothSidesAndThePurgedLogVerifies() throws Exception {
    Path jar = Path.of("../server/target/trailbook.jar").toAbsolutePath().normalize();
    assertThat(jar).as("the server jar is built before the benchmark module").exists();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
    BenchOptions options = new BenchOptions(3000, 7, null, Set.of("R2"), jar, work, 10, 2, 300, List.of());

    RetentionSide.Figures t = new RetentionSide(options, log, Instant.now().truncatedTo(ChronoUnit.SECONDS)).run();

    String said = out.toString(StandardCharsets.UTF_8);
    assertThat(t.removed()).as(said).isEqualTo(2700); // every event loaded before the clock moved, and nothing else
    assertThat(t.passes()).hasSize(20).allSatisfy(p -> assertThat(p.kept()).as("workspace and key created: the access trail").isEqualTo(2));
    assertThat(t.entries()).isEqualTo(3000 + 20 * 3); // + workspace created, key created, retention set
    assertThat(t.verify().value()).as(said).isNotNull();
    assertThat(t.without().runs()).isEqualTo(300);
    assertThat(t.during().runs()).as("single events were answered while the purges ran").isPositive();
    assertThat(t.alike().runs()).as("the baseline shaped like the run during the purges").isEqualTo(t.during().runs());
    assertThat(t.merging().runs()).as("single events went on until the index had merged the purged documents away").isPositive();
    assertThat(t.memory().rssPeak()).isPositive();
    assertThat(t.memory().anonPeak()).isPositive().isLessThanOrEqualTo(t.memory().rssPeak());
    assertThat(t.breakdown()).as("the server logged each pass").isNotNull();
    assertThat(t.before().journal()).isPositive();

    RetentionPeer.Figures peer;
    try (PostgresPeer pg = PostgresPeer.start(null, work.resolve("pg"))) {
      peer = RetentionPeer.measure(pg, t.entriesFile(), log);
    }
    assertThat(peer.rows()).isEqualTo(t.entries());
    assertThat(peer.deleted()).as("the peer applies the same rule to the same entries").isEqualTo(t.removed());
    assertThat(peer.bytesAfterFull()).isLessThan(peer.bytesBefore());

    List<Measure> rows = RetentionMeasures.of(t, peer);
    assertThat(rows).extracting(Measure::id).contains("R2", "R2j", "R2f", "R2r", "R2rb", "R2l0", "R2ls", "R2l", "R2lm", "R2m",
        "R2ma", "R2v");
  }
}
