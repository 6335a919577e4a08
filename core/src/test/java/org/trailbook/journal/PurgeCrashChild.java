package org.trailbook.journal;

import java.nio.file.Path;

/**
 * The child JVM of {@link PurgeCrashTest}: opens a journal (resuming any compaction a crash cut short)
 * and runs {@link PurgeCrashTest#PLAN}, while its parent kills it with SIGKILL at a random moment.
 */
public final class PurgeCrashChild {
  private PurgeCrashChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    System.out.println("OPENING");
    System.out.flush();
    try (FileJournal j = FileJournal.open(dir, PurgeCrashTest.OPTIONS)) {
      System.out.println("READY");
      System.out.flush();
      for (PurgeCrashTest.Step step : PurgeCrashTest.PLAN) j.purge(PurgeCrashTest.WS, step.toSeq(), step.keep(), "crash plan");
      System.out.println("DONE");
      System.out.flush();
    }
  }
}
