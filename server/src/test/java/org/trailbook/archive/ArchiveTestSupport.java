package org.trailbook.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.trailbook.cli.Main;
import org.trailbook.server.TestServer;

/** Shared by the archive tests: events into a workspace, a file's SHA-256, the CLI. */
final class ArchiveTestSupport {
  private ArchiveTestSupport() {}

  /** Posts {@code n} events to the workspace with {@code key}, ids {@code prefix0…}. */
  static void ingest(TestServer server, String key, String prefix, int n) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      body.append(i > 0 ? "," : "").append("{\"id\":\"").append(prefix).append(i).append("\",\"action\":\"thing.done\",\"metadata\":{\"n\":").append(i).append("}}");
    }
    server.http.post("/v1/events", key, body.append(']').toString()).expect(201);
  }

  static String sha256(InputStream in) throws IOException {
    try (in) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) d.update(buffer, 0, n);
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) throws IOException {
    return sha256(Files.newInputStream(file));
  }

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }
}
