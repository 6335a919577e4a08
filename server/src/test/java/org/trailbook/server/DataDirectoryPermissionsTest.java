package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.http.HttpClientForTests;
import tools.jackson.databind.JsonNode;

/**
 * The data directory is 0700 and every file the server writes 0600 — journal segments, tree levels, checkpoints, keys,
 * access state, saved views, export jobs and files, the Lucene index — even when the server runs under umask 000 and
 * the directory was created world-writable beforehand.
 */
class DataDirectoryPermissionsTest {
  static final String ADMIN = "tba_permissions_test_admin_key";
  static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  @TempDir Path tmp;

  @Test
  void underUmask000EveryDirectoryIs0700AndEveryFile0600() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectory(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx")); // as an operator might have made it

    try (ServerProcess server = ServerProcess.start(data, ADMIN, "000")) {
      HttpClientForTests http = server.http();
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
      String key = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\",\"export\",\"admin\"]}").expect(201)
          .json().get("key").asString();
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 200; i++) batch.append(i == 0 ? "" : ",").append("{\"action\":\"contact.updated\",\"metadata\":{\"n\":").append(i).append("}}");
      http.post("/v1/events", key, batch.append("]").toString()).expect(201);
      http.post("/v1/views", key, "{\"name\":\"failures\",\"query\":\"status=failure\"}").expect(201);
      String login = http.post("/v1/viewer-tokens", key, "{\"actor\":{\"id\":\"u1\"},\"role\":\"admin\"}").expect(201).json().get("url").asString();
      new HttpClientForTests(login.substring(0, login.indexOf("/ui/"))).get(login.substring(login.indexOf("/ui/")), null);
      for (String job : List.of("{\"format\":\"ndjson\",\"include_proof\":true}", "{\"format\":\"csv\"}")) {
        String id = http.post("/v1/exports", key, job).expect(202).json().get("id").asString();
        JsonNode done = awaitExport(http, key, id);
        http.get(done.get("download_url").asString(), key).expect(200);
      }
      awaitCheckpoint(http, key, 200);
      http.get("/v1/events?q=contact", key).expect(200); // the index has segments on disk by now
    } // SIGTERM: the server commits its index and closes its files

    TreeMap<String, String> wrong = new TreeMap<>();
    List<String> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(data)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String name = data.relativize(p).toString();
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          if (!DIR.containsAll(mode)) wrong.put(name.isEmpty() ? "." : name + "/", PosixFilePermissions.toString(mode));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files.add(name);
          if (!FILE.containsAll(mode)) wrong.put(name, PosixFilePermissions.toString(mode));
        } else {
          wrong.put(name, "neither a directory nor a regular file");
        }
      }
    }
    assertThat(wrong).as("modes wider than 0700 (directories) or 0600 (files)").isEmpty();
    assertThat(Files.getPosixFilePermissions(data)).isEqualTo(DIR);
    // everything the server writes was there to be checked
    assertThat(files).anyMatch(f -> f.startsWith("journal/segment-")).anyMatch(f -> f.startsWith("tree/acme/level-"))
        .anyMatch(f -> f.startsWith("checkpoints/acme/")).contains("keys/log.key", "keys/log.pub", "access/state.json", ".lock")
        .anyMatch(f -> f.startsWith("views/")).anyMatch(f -> f.startsWith("index/segments_")).anyMatch(f -> f.startsWith("index/_"))
        .anyMatch(f -> f.startsWith("exports/") && f.endsWith(".job.json")).anyMatch(f -> f.startsWith("exports/") && f.endsWith(".zip"))
        .anyMatch(f -> f.startsWith("exports/") && f.endsWith(".csv"));
  }

  private static JsonNode awaitExport(HttpClientForTests http, String key, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode s = http.get("/v1/exports/" + id, key).expect(200).json();
      assertThat(s.get("status").asString()).as("job %s", s).isNotEqualTo("failed");
      if (s.get("status").asString().equals("done")) return s;
      assertThat(System.nanoTime()).as("export done within 60 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** Until a signed checkpoint covers at least {@code size} entries. */
  private static void awaitCheckpoint(HttpClientForTests http, String key, long size) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpClientForTests.Response r = http.get("/v1/log/checkpoint", key);
      if (r.status() == 200 && Long.parseLong(r.body().split("\n")[1]) >= size) return;
      assertThat(System.nanoTime()).as("a checkpoint within 60 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
