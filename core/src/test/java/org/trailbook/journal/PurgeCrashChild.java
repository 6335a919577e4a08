package org.trailbook.journal;

import java.nio.file.Path;

/**
 * The child JVM of {@link PurgeCrashTest}: opens a journal (resuming any compaction a crash cut short),
 * runs {@link PurgeCrashTest#PLAN}, waiting after each purge for the compaction it calls for, while its
 * parent kills it with SIGKILL at a random moment.
 */
public final class PurgeCrashChild {
  private PurgeCrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    System.out.println("OPENING");
    System.out.flush();
    try (FileJournal j = FileJournal.open(dir, PurgeCrashTest.OPTIONS)) {
      System.out.println("READY");
      System.out.flush();
      for (PurgeCrashTest.Step step : PurgeCrashTest.PLAN) {
        j.purge(PurgeCrashTest.WS, step.toSeq(), step.keep(), "crash plan");
        // the background compaction each purge calls for is part of the run: most kills land in a segment rewrite,
        // and the purges spread over the run, so kills leave every state of the plan
        if (!j.awaitCompaction(java.time.Duration.ofMinutes(5))) throw new IllegalStateException("the compaction did not finish");
      }
      System.out.println("DONE");
      System.out.flush();
    }
  }
}
