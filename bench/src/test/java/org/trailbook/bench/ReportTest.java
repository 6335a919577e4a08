package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each measure has one row per Trailbook side, each with the peer's figure beside it, in the table and the JSON. */
class ReportTest {
  @Test
  void theSidesOfAMeasureStandTogetherEachBesideThePeer() {
    Side peer = Side.value(7_000);
    List<Measure> rows = List.of(
        new Measure("I1", "file", "bulk ingest", "events/s", "higher", Side.value(14_000), peer, ">= 100,000", false),
        new Measure("I1", "postgresql x3", "bulk ingest", "events/s", "higher", Side.value(21_000), peer, ">= 100,000", false));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Report.print(rows, new PrintStream(out, true, StandardCharsets.UTF_8));
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(lines.getFirst()).contains("store").contains("Trailbook").contains("PostgreSQL");
    assertThat(lines.get(1)).contains("file").contains("14,000 events/s").contains("7,000 events/s").contains("2.00x");
    assertThat(lines.get(2)).contains("postgresql x3").contains("21,000 events/s").contains("7,000 events/s").contains("3.00x");
    String json = Report.json(rows, 1000, 1, "test").toString();
    assertThat(json).contains("\"store\":\"file\"").contains("\"store\":\"postgresql x3\"");
  }
}
