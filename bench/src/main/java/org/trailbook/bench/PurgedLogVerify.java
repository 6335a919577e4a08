package org.trailbook.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** R2's last step: {@code verify --data} over the purged log, the server stopped; it must still verify. */
final class PurgedLogVerify {
  private PurgedLogVerify() {}

  /** Events/s of the {@code retained} entries, or a missing figure naming the exit code if it did not verify. */
  static Side run(Path serverJar, Path data, long retained, PrintStream log) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(TrailbookProcess.command(serverJar, "verify", "--data", data.toString())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (code != 0) {
      log.println("R2  verify --data FAILED on the purged log:\n" + out);
      return Side.missing("verify failed (exit " + code + ")");
    }
    log.printf("R2  verify --data on the purged log: ok in %.1f s%n", seconds);
    return Side.value(retained / seconds);
  }
}
