package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trailbook backup} refuses a PostgreSQL store, named by flag or by environment: the database has its own tools. */
class BackupStoreTest {
  @TempDir Path dir;

  @Test
  void refusesAStoreGivenWithTheFlagAndWritesNothing() {
    Path to = dir.resolve("copy");
    ServeCommandTest.Run r = ServeCommandTest.run("backup", "--store", "postgresql://u@127.0.0.1/db", "--data", dir.toString(), "--to", to.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("PostgreSQL store (--store)").contains("pg_dump").contains("pg_basebackup").contains("derived state");
    assertThat(to).doesNotExist();
  }

  @Test
  void refusesAStoreGivenInTheEnvironment() throws Exception {
    Path to = dir.resolve("copy");
    Files.createDirectories(dir.resolve("data"));
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.trailbook.cli.Main",
        "backup", "--data", dir.resolve("data").toString(), "--to", to.toString()).redirectErrorStream(true);
    pb.environment().put("TRAILBOOK_STORE", "postgresql://u@127.0.0.1/db");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isEqualTo(Main.EXIT_USAGE);
    assertThat(output).contains("PostgreSQL store (TRAILBOOK_STORE)").contains("pg_dump");
    assertThat(to).doesNotExist();
  }

  @Test
  void withoutAStoreDataAndDestinationAreStillRequired() {
    ServeCommandTest.Run r = ServeCommandTest.run("backup", "--data", dir.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("give --data DIR and --to DEST");
    assertThat(List.of(r.out(), r.err())).noneMatch(s -> s.contains("pg_dump"));
  }
}
