package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A process's CPU time is read from /proc, and a process that keeps a core busy is not taken for settled. */
class ServerSettleTest {
  @Test
  void aBusyProcessDoesNotSettleAndItsCpuTimeGrows() throws Exception {
    long pid = ProcessHandle.current().pid();
    double before = ServerSettle.cpuSeconds(pid);
    assertThat(before).isPositive();
    Thread burner = Thread.ofPlatform().daemon(true).start(() -> {
      long x = 0;
      while (!Thread.currentThread().isInterrupted()) x += System.nanoTime() % 7;
      if (x == 42) System.out.print(""); // keeps the loop from being optimised away
    });
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ServerSettle.await(pid, Duration.ofSeconds(4), new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("did not settle");
    } finally {
      burner.interrupt();
    }
    assertThat(ServerSettle.cpuSeconds(pid)).isGreaterThan(before + 1);
  }
}
