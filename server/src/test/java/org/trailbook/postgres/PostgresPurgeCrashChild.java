package org.trailbook.postgres;

/**
 * The child JVM of {@link PostgresPurgeCrashTest}: opens the store on the database its argument names and runs {@link
 * PostgresPurgeCrashTest#PLAN}, while its parent kills it with SIGKILL at a random moment.
 */
public final class PostgresPurgeCrashChild {
  private PostgresPurgeCrashChild() {}

  public static void main(String[] args) {
    try (PostgresEventStore store = PostgresEventStore.open(StoreUrl.parse(args[0]))) {
      System.out.println("READY");
      System.out.flush();
      for (PostgresPurgeCrashTest.Step step : PostgresPurgeCrashTest.PLAN) store.purge(PostgresPurgeCrashTest.WS, step.toSeq(), step.keep(), "crash plan");
      System.out.println("DONE");
      System.out.flush();
    }
  }
}
