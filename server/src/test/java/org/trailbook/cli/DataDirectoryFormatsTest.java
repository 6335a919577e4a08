package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.UnsupportedFormatException;
import org.trailbook.server.DataBackup;
import org.trailbook.server.TestServer;
import tools.jackson.databind.node.ObjectNode;

/**
 * A whole data directory in the layout written before file headers existed (version 0) keeps
 * working: {@code verify} checks it, the server starts on it, serves and proves what it holds,
 * takes new events, upgrades the small state files and backs it up; a file of a newer version
 * stops the server and {@code verify} with a message saying so.
 */
class DataDirectoryFormatsTest {
  @TempDir Path data;
  @TempDir Path backup;

  private String build() {
    try (TestServer server = TestServer.start(data)) {
      String key = server.workspaceWithKey("acme", "ingest", "read");
      for (int batch = 0; batch < 3; batch++) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 4; i++) body.append(i > 0 ? "," : "").append("{\"id\":\"a-").append(batch * 4 + i).append("\",\"action\":\"thing.done\"}");
        server.http.post("/v1/events", key, body.append(']').toString()).expect(201);
        server.server().integrity().signDue();
      }
      return key;
    }
  }

  /**
   * Rewrites every file the way the code before headers wrote it: binary files without their
   * header (their data did not change), JSON state without its "format" and "version" fields.
   * Returns how many files it changed.
   */
  private int downgradeToVersion0() throws IOException {
    int changed = 0;
    List<Path> files;
    try (Stream<Path> all = Files.walk(data)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    for (Path p : files) {
      String name = p.getFileName().toString();
      boolean binary = name.endsWith(".wal") || name.equals("checkpoints") || name.startsWith("level-") || name.equals("synced");
      if (binary) {
        byte[] bytes = Files.readAllBytes(p);
        assertThat(ByteBuffer.wrap(bytes).getInt(0)).as(p + " has a header").isEqualTo(0xD7544246);
        Files.write(p, Arrays.copyOfRange(bytes, 4 + 1 + bytes[4] + 8, bytes.length));
        changed++;
      } else if (name.equals("state.json")) {
        ObjectNode state = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(p));
        assertThat(state.get("format").asString()).isEqualTo("trailbook.access");
        state.remove("format");
        state.remove("version");
        Files.write(p, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        changed++;
      }
    }
    return changed;
  }

  @Test
  void aVersion0DataDirectoryIsVerifiedServedUpgradedAndBackedUp() throws IOException {
    String key = build();
    assertThat(downgradeToVersion0()).as("journal, checkpoints, tree files, state").isGreaterThanOrEqualTo(5);
    VerifyDataTest.Run before = VerifyDataTest.verify("--data", data.toString());
    assertThat(before.code()).as(before.all()).isZero();
    assertThat(before.out()).contains("acme: OK").contains("signed checkpoints verified");

    try (TestServer server = TestServer.start(data)) {
      assertThat(server.http.get("/v1/events/a-7", key).expect(200).json().get("id").asString()).isEqualTo("a-7");
      server.http.get("/v1/events/a-7/proof", key).expect(200); // the version 0 tree and checkpoints prove it
      server.http.post("/v1/events", key, "{\"id\":\"after\",\"action\":\"thing.done\"}").expect(201);
      server.server().integrity().signDue();
      server.http.get("/v1/events/after/proof", key).expect(200);
    }
    assertThat(Files.readString(data.resolve("access/state.json"))).as("upgraded explicitly at start")
        .startsWith("{\n  \"format\" : \"trailbook.access\",\n  \"version\" : 1,");
    assertThat(ByteBuffer.wrap(Files.readAllBytes(data.resolve("journal/segment-0000000000.wal"))).getInt(0))
        .as("the journal segment is read and appended to in place").isEqualTo(0xFEFE5442);

    VerifyDataTest.Run after = VerifyDataTest.verify("--data", data.toString());
    assertThat(after.code()).as(after.all()).isZero();
    assertThat(DataBackup.backup(data, backup).entries()).isGreaterThan(12);
    VerifyDataTest.Run ofCopy = VerifyDataTest.verify("--data", backup.toString());
    assertThat(ofCopy.code()).as(ofCopy.all()).isZero();
  }

  @Test
  void aJournalOfANewerVersionStopsTheServerAndVerifyWithAMessageSayingSo() throws IOException {
    build();
    Path segment = data.resolve("journal/segment-0000000000.wal");
    byte[] newer = headerWithVersion(Files.readAllBytes(segment), 3);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.write(newer);
    }
    String message = segment + " is trailbook.journal format version 3, written by a newer Trailbook: upgrade Trailbook to read it"
        + " (this build reads versions 0 to 2)";
    assertThatThrownBy(() -> TestServer.start(data)).isInstanceOf(UnsupportedFormatException.class).hasMessage(message);
    VerifyDataTest.Run r = VerifyDataTest.verify("--data", data.toString());
    assertThat(r.code()).isEqualTo(Main.EXIT_ERROR);
    assertThat(r.err()).contains("could not run: " + message);
  }

  /** The header at the start of {@code file} with its version replaced (and its CRC32C recomputed). */
  private static byte[] headerWithVersion(byte[] file, int version) {
    int nameLength = file[4];
    ByteBuffer header = ByteBuffer.wrap(Arrays.copyOf(file, 4 + 1 + nameLength + 8));
    header.putInt(5 + nameLength, version);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(header.array(), 0, 5 + nameLength + 4);
    header.putInt(5 + nameLength + 4, (int) crc.getValue());
    return header.array();
  }
}
