package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the monthly partitions of {@code entries} ahead of time (this month and the next two, by {@code
 * received_at} in UTC), so retention can later drop whole months. Best effort: when a partition cannot be created
 * (another node is creating it, or the DEFAULT partition already holds rows of that month) the rows simply go to the
 * DEFAULT partition, and an insert never fails for want of one.
 *
 * <p>After purges, {@link #dropEmptyPast} drops the months that no longer hold a row (every workspace purged them),
 * which gives their disk space back to the operating system. Rows purged from a month still in use (or from the
 * DEFAULT partition) leave dead space that (auto)vacuum makes reusable for new rows; the files do not shrink.
 */
final class PostgresPartitions {
  private static final Logger log = LoggerFactory.getLogger(PostgresPartitions.class);
  private static final int MONTHS_AHEAD = 2;
  private static final Pattern NAME = Pattern.compile("entries_y(\\d{4})m(\\d{2})");
  /**
   * How long a drop waits for the locks it needs. Dropping a partition locks the whole {@code entries} table for a
   * moment, and reads and writes queue behind a drop that waits: a short wait bounds that stall, and a drop that
   * could not have its locks is simply tried again after the next purge (or at the next start).
   */
  static final Duration DROP_LOCK_TIMEOUT = Duration.ofMillis(500);

  private PostgresPartitions() {}

  static void ensureAhead(DataSource dataSource) {
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    for (int i = 0; i <= MONTHS_AHEAD; i++) create(dataSource, month.plusMonths(i));
  }

  static String name(YearMonth m) {
    return String.format("entries_y%04dm%02d", m.getYear(), m.getMonthValue());
  }

  /** Creates the partition of month {@code m} if it does not exist (package-private: tests create past months). */
  static void create(DataSource dataSource, YearMonth m) {
    String sql = "CREATE TABLE IF NOT EXISTS " + name(m) + " PARTITION OF entries FOR VALUES FROM ('" + m.atDay(1) + "T00:00:00Z') TO ('"
        + m.plusMonths(1).atDay(1) + "T00:00:00Z')";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      log.warn("the entries partition {} was not created (rows of that month go to the default partition): {}", name(m), e.getMessage());
    }
  }

  /**
   * Drops every monthly partition of {@code entries} that lies entirely before the current month (UTC) and holds no
   * row; never the DEFAULT partition, this month's or a later one, nor a table not named like ours. Best effort: a
   * partition that cannot be dropped now (its locks were not had in time, the database failed) is logged and left for
   * the next call. Answers the partitions dropped.
   */
  static List<String> dropEmptyPast(DataSource dataSource) {
    return dropEmptyPast(dataSource, YearMonth.of(0, 1), YearMonth.of(9999, 12));
  }

  /**
   * As {@link #dropEmptyPast(DataSource)}, for the months from {@code oldest} to {@code newest} only: those a purge removed
   * entries from, the only ones it can have left empty (checking a month can mean passing over its dead rows, until
   * vacuum, so a purge does not check the months it did not touch).
   */
  static List<String> dropEmptyPast(DataSource dataSource, YearMonth oldest, YearMonth newest) {
    YearMonth current = YearMonth.now(ZoneOffset.UTC);
    List<String> dropped = new ArrayList<>();
    for (String name : pastPartitions(dataSource, current)) {
      if (name.compareTo(name(oldest)) < 0 || name.compareTo(name(newest)) > 0) continue;
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SET LOCAL lock_timeout = " + DROP_LOCK_TIMEOUT.toMillis());
          // SHARE: no row can come into the partition from here on, while reads of entries go on; the check may have
          // to pass over the dead rows of the purge (until vacuum), which holds up no one
          s.execute("LOCK TABLE " + name + " IN SHARE MODE");
          boolean empty;
          try (ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + name + ")")) {
            rs.next();
            empty = rs.getBoolean(1);
          }
          if (empty) s.execute("DROP TABLE " + name); // locks entries itself for a moment
          c.commit();
          if (empty) dropped.add(name);
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        if ("42P01".equals(e.getSQLState())) continue; // undefined_table: another node dropped it meanwhile
        log.warn("the entries partition {} was not checked or dropped now (tried again after the next purge of that month or at the next start): {}",
            name, e.getMessage());
      }
    }
    if (!dropped.isEmpty()) log.info("dropped the entries partitions {}: every entry in them was purged", dropped);
    return dropped;
  }

  /** Our monthly partitions of {@code entries} before {@code current}, oldest first. */
  private static List<String> pastPartitions(DataSource dataSource, YearMonth current) {
    TreeSet<String> out = new TreeSet<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "WHERE i.inhparent = 'entries'::regclass")) {
      while (rs.next()) {
        Matcher m = NAME.matcher(rs.getString(1));
        if (m.matches() && YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))).isBefore(current)) out.add(m.group());
      }
    } catch (SQLException e) {
      log.warn("the entries partitions could not be listed (empty ones are dropped after the next purge): {}", e.getMessage());
    }
    return List.copyOf(out);
  }
}
