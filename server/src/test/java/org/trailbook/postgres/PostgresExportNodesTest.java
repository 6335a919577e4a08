package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.access.Credential;
import org.trailbook.export.ExportConfig;
import org.trailbook.export.ExportFiles;
import org.trailbook.export.ExportJob;
import org.trailbook.export.ExportRequest;
import org.trailbook.export.Exports;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.IntegrityConfig;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.FileJournal;
import org.trailbook.search.EventSearch;
import org.trailbook.search.SearchIndex;
import org.trailbook.search.SearchOptions;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TrailbookServer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exports on two nodes sharing one database: a job accepted by node A (which runs no workers) is run
 * by node B, and node A serves its download from the database. Both nodes read one journal here,
 * standing in for the shared event store.
 */
class PostgresExportNodesTest {
  @TempDir Path dir;

  @Test
  void aJobAcceptedOnOneNodeIsRunByAnotherAndDownloadedFromTheFirst() throws Exception {
    Clock clock = Clock.systemUTC();
    try (PgNodes nodes = new PgNodes(); FileJournal journal = FileJournal.open(dir.resolve("journal"));
        LogIntegrity integrity = LogIntegrity.open(dir, "test", journal, IntegrityConfig.DEFAULTS);
        SearchIndex index = SearchIndex.open(journal, SearchOptions.defaults(dir.resolve("index")))) {
      IngestService ingest = TrailbookServer.ingestService(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir), integrity.guard(journal), clock);
      List<ObjectNode> events = new ArrayList<>();
      for (int i = 0; i < 25; i++) events.add(Json.MAPPER.createObjectNode().put("id", "e" + i).put("action", "thing.done"));
      ingest.record("acme", events);
      EventSearch search = new EventSearch(index);
      ExportConfig config = ExportConfig.DEFAULTS.withJobsPerHour(2);
      PostgresDatabase dbA = nodes.node();
      PostgresDatabase dbB = nodes.node();
      Exports a = nodes.closing(new Exports(new PostgresExportJobStore(dbA, config.jobsPerHour()), new PostgresExportFiles(dbA), journal, search,
          integrity, ingest, config.withWorkers(0), clock));
      Exports b = nodes.closing(new Exports(new PostgresExportJobStore(dbB, config.jobsPerHour()), new PostgresExportFiles(dbB), journal, search,
          integrity, ingest, config.withWorkers(1), clock));
      Credential who = new Credential("key_1", "acme", Set.of(), false, null);

      ExportJob job = a.create(who, ExportRequest.fromJson(Json.MAPPER.createObjectNode().put("format", "ndjson").put("include_proof", false)));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (a.job("acme", job.id()).status() != ExportJob.Status.DONE) {
        assertThat(a.job("acme", job.id()).status()).isNotEqualTo(ExportJob.Status.FAILED);
        assertThat(System.nanoTime()).as("the job is done within 30 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(b.jobsDoneTotal()).isEqualTo(1);
      assertThat(a.jobsDoneTotal()).isZero();
      try (ExportFiles.Output out = a.file(a.job("acme", job.id()))) {
        String ndjson = new String(out.stream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ndjson.split("\n")).hasSize(25);
        assertThat(out.size()).isEqualTo(ndjson.getBytes(StandardCharsets.UTF_8).length);
      }
      // the hourly allowance is the database's: node B refuses the third export of the hour
      a.create(who, ExportRequest.fromJson(Json.MAPPER.createObjectNode().put("format", "csv")));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.create(who, ExportRequest.fromJson(Json.MAPPER.createObjectNode().put("format", "ndjson"))))
          .isInstanceOf(org.trailbook.export.TooManyExportsException.class);
    }
  }
}
