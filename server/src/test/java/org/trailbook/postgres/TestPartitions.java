package org.trailbook.postgres;

import java.time.YearMonth;

/** The monthly partitions of {@code entries}, for tests outside this package. */
public final class TestPartitions {
  private TestPartitions() {}

  /**
   * Creates the partitions of {@code months} months from {@code first} on, past months too (a node creates only this
   * month's and the next ones): rows received then go to their month, and a purge that empties a past month drops it.
   * Call it after the store opened on a fresh database (opening drops the past months that hold no row).
   */
  public static void create(PostgresDatabase db, YearMonth first, int months) {
    for (int i = 0; i < months; i++) PostgresPartitions.create(db.dataSource(), first.plusMonths(i));
  }
}
