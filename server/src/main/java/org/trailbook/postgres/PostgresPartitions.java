package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the monthly partitions of {@code entries} ahead of time (this month and the next two, by {@code
 * received_at} in UTC), so retention can later drop whole months. Best effort: when a partition cannot be created
 * (another node is creating it, or the DEFAULT partition already holds rows of that month) the rows simply go to the
 * DEFAULT partition, and an insert never fails for want of one.
 */
final class PostgresPartitions {
  private static final Logger log = LoggerFactory.getLogger(PostgresPartitions.class);
  private static final int MONTHS_AHEAD = 2;

  private PostgresPartitions() {}

  static void ensureAhead(DataSource dataSource) {
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    for (int i = 0; i <= MONTHS_AHEAD; i++) create(dataSource, month.plusMonths(i));
  }

  static String name(YearMonth m) {
    return String.format("entries_y%04dm%02d", m.getYear(), m.getMonthValue());
  }

  private static void create(DataSource dataSource, YearMonth m) {
    String sql = "CREATE TABLE IF NOT EXISTS " + name(m) + " PARTITION OF entries FOR VALUES FROM ('" + m.atDay(1) + "T00:00:00Z') TO ('"
        + m.plusMonths(1).atDay(1) + "T00:00:00Z')";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      log.warn("the entries partition {} was not created (rows of that month go to the default partition): {}", name(m), e.getMessage());
    }
  }
}
