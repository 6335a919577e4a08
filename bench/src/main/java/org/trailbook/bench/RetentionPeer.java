package org.trailbook.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * R2 on the peer: the very entries Trailbook held before its purge (with the server's
 * {@code received_at}) as rows of the peer table, then what a team does to apply the same
 * retention: one {@code DELETE} of the rows received before the cutoff (the access trail, category
 * {@code audit_log}, stays, as on Trailbook), then {@code VACUUM}, each timed, with the table's size
 * before and after. {@code VACUUM} makes the space reusable but gives little of it back to the
 * file system; {@code VACUUM FULL} does, by writing a new copy of the table and its indexes under
 * an exclusive lock: timed last, with the sizes, to show what returning the disk costs there.
 */
final class RetentionPeer {
  /** The peer's figures: bytes are the table's with its indexes and TOAST. */
  record Figures(long rows, long deleted, double deleteSeconds, double vacuumSeconds, long bytesBefore, long bytesAfterVacuum,
      double vacuumFullSeconds, long bytesAfterFull) {
    double purgeSeconds() {
      return deleteSeconds + vacuumSeconds;
    }
  }

  private RetentionPeer() {}

  static Figures measure(PostgresPeer pg, Path entries, PrintStream log) throws Exception {
    pg.createSchema(true);
    log.printf("R2  loading the same entries into PostgreSQL with their received_at...%n");
    PostgresLoad.load(pg, entries, 8, 500);
    pg.analyze();
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      long rows = count(s, "SELECT count(*) FROM events");
      long before = pg.totalBytes();
      // the same rule as the server: received more than RETENTION_DAYS days before a clock SHIFT_DAYS ahead
      Instant cutoff = Instant.now().plus(Duration.ofDays(RetentionSide.SHIFT_DAYS - RetentionSide.RETENTION_DAYS));
      log.printf("R2  PostgreSQL: DELETE of the rows received before %s (the access trail stays), then VACUUM...%n", cutoff);
      long t = System.nanoTime();
      long deleted;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE received_at < ? AND category <> 'audit_log'")) {
        ps.setTimestamp(1, Timestamp.from(cutoff));
        deleted = ps.executeUpdate();
      }
      double deleteSeconds = (System.nanoTime() - t) / 1e9;
      t = System.nanoTime();
      s.execute("VACUUM events");
      double vacuumSeconds = (System.nanoTime() - t) / 1e9;
      long afterVacuum = pg.totalBytes();
      log.printf("    %,d of %,d rows deleted in %.2f s, VACUUM %.2f s (%,.0f rows/s); %,d bytes before, %,d after%n", deleted, rows, deleteSeconds,
          vacuumSeconds, deleted / (deleteSeconds + vacuumSeconds), before, afterVacuum);
      t = System.nanoTime();
      s.execute("VACUUM FULL events");
      double fullSeconds = (System.nanoTime() - t) / 1e9;
      long afterFull = pg.totalBytes();
      log.printf("    VACUUM FULL (an exclusive lock: no reads, no writes meanwhile) %.2f s: %,d bytes after%n", fullSeconds, afterFull);
      return new Figures(rows, deleted, deleteSeconds, vacuumSeconds, before, afterVacuum, fullSeconds, afterFull);
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
