package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.trailbook.retention.LegalHold;
import org.trailbook.retention.RetentionPlan;
import org.trailbook.retention.RetentionPolicy;
import org.trailbook.retention.RetentionStore;

/**
 * Retention settings in {@code retention_policies}, {@code retention_plans}, {@code retention_plan_of} and {@code
 * legal_holds} (V7), shared by every node and read afresh on every call (no cache: a hold placed on one node holds on
 * every other at once). A change and the read of what it replaces run in one transaction, the row locked.
 */
public final class PostgresRetentionStore implements RetentionStore {
  private final PostgresDatabase db;

  public PostgresRetentionStore(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<RetentionPolicy> policy(String workspace) {
    return Sql.run(db.dataSource(), "read a retention policy", c -> policy(c, workspace, false));
  }

  @Override
  public Optional<RetentionPolicy> setPolicy(String workspace, RetentionPolicy policy) {
    return Sql.inTransaction(db.dataSource(), "set a retention policy", c -> {
      Sql.lockWorkspace(c, "retention_policies", workspace); // the row may not exist yet: FOR UPDATE alone would not serialize
      Optional<RetentionPolicy> before = policy(c, workspace, true);
      try (var st = c.prepareStatement("insert into retention_policies (workspace, days, archive) values (?, ?, ?) "
          + "on conflict (workspace) do update set days = excluded.days, archive = excluded.archive")) {
        st.setString(1, workspace);
        setInteger(st, 2, policy.days());
        st.setBoolean(3, policy.archive());
        st.executeUpdate();
      }
      return before;
    });
  }

  @Override
  public List<RetentionPlan> plans() {
    return Sql.run(db.dataSource(), "list retention plans", c -> {
      try (var st = c.prepareStatement("select name, max_days from retention_plans order by name"); ResultSet rs = st.executeQuery()) {
        List<RetentionPlan> out = new ArrayList<>();
        while (rs.next()) out.add(new RetentionPlan(rs.getString(1), integer(rs, 2)));
        return out;
      }
    });
  }

  @Override
  public Optional<RetentionPlan> plan(String name) {
    return Sql.run(db.dataSource(), "read a retention plan", c -> plan(c, name, false));
  }

  @Override
  public Optional<RetentionPlan> putPlan(RetentionPlan plan) {
    return Sql.inTransaction(db.dataSource(), "store a retention plan", c -> {
      Sql.lockWorkspace(c, "retention_plans", plan.name());
      Optional<RetentionPlan> before = plan(c, plan.name(), true);
      try (var st = c.prepareStatement("insert into retention_plans (name, max_days) values (?, ?) on conflict (name) do update set max_days = excluded.max_days")) {
        st.setString(1, plan.name());
        setInteger(st, 2, plan.maxDays());
        st.executeUpdate();
      }
      return before;
    });
  }

  @Override
  public Optional<String> planOf(String workspace) {
    return Sql.run(db.dataSource(), "read a workspace's plan", c -> planOf(c, workspace, false));
  }

  @Override
  public Optional<String> assignPlan(String workspace, String planName) {
    return Sql.inTransaction(db.dataSource(), "assign a retention plan", c -> {
      Sql.lockWorkspace(c, "retention_plan_of", workspace);
      Optional<String> before = planOf(c, workspace, true);
      String sql = planName == null ? "delete from retention_plan_of where workspace = ?"
          : "insert into retention_plan_of (workspace, plan) values (?, ?) on conflict (workspace) do update set plan = excluded.plan";
      try (var st = c.prepareStatement(sql)) {
        st.setString(1, workspace);
        if (planName != null) st.setString(2, planName);
        st.executeUpdate();
      }
      return before;
    });
  }

  @Override
  public List<String> workspacesOn(String planName) {
    return Sql.run(db.dataSource(), "list the workspaces on a plan", c -> {
      try (var st = c.prepareStatement("select workspace from retention_plan_of where plan = ? order by workspace")) {
        st.setString(1, planName);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) out.add(rs.getString(1));
        }
        return out;
      }
    });
  }

  @Override
  public LegalHold placeHold(LegalHold h) {
    return Sql.run(db.dataSource(), "place a legal hold", c -> {
      try (var st = c.prepareStatement("insert into legal_holds (workspace, id, reason, placed_at, ends_at, released_at, placed_by) values (?, ?, ?, ?, ?, ?, ?)")) {
        st.setString(1, h.workspace());
        st.setString(2, h.id());
        st.setString(3, h.reason());
        setInstant(st, 4, h.placedAt());
        setInstant(st, 5, h.endsAt());
        setInstant(st, 6, h.releasedAt());
        st.setString(7, h.placedBy());
        st.executeUpdate();
      }
      return h;
    });
  }

  @Override
  public List<LegalHold> holds(String workspace) {
    return Sql.run(db.dataSource(), "list legal holds", c -> {
      try (var st = c.prepareStatement(HOLD + " where workspace = ? order by n")) {
        st.setString(1, workspace);
        List<LegalHold> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) out.add(hold(rs));
        }
        return out;
      }
    });
  }

  @Override
  public Optional<LegalHold> releaseHold(String workspace, String id, Instant at) {
    return Sql.inTransaction(db.dataSource(), "release a legal hold", c -> {
      LegalHold h;
      try (var st = c.prepareStatement(HOLD + " where workspace = ? and id = ? for update")) {
        st.setString(1, workspace);
        st.setString(2, id);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) return Optional.<LegalHold>empty();
          h = hold(rs);
        }
      }
      if (h.releasedAt() != null) throw RetentionStore.alreadyReleased(h);
      try (var st = c.prepareStatement("update legal_holds set released_at = ? where workspace = ? and id = ?")) {
        setInstant(st, 1, at);
        st.setString(2, workspace);
        st.setString(3, id);
        st.executeUpdate();
      }
      return Optional.of(h.releasedAt(at));
    });
  }

  private static final String HOLD = "select id, workspace, reason, placed_at, ends_at, released_at, placed_by from legal_holds";

  private static LegalHold hold(ResultSet rs) throws SQLException {
    return new LegalHold(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5), instant(rs, 6), rs.getString(7));
  }

  private static Optional<RetentionPolicy> policy(Connection c, String workspace, boolean forUpdate) throws SQLException {
    try (var st = c.prepareStatement("select days, archive from retention_policies where workspace = ?" + (forUpdate ? " for update" : ""))) {
      st.setString(1, workspace);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(new RetentionPolicy(integer(rs, 1), rs.getBoolean(2))) : Optional.empty();
      }
    }
  }

  private static Optional<RetentionPlan> plan(Connection c, String name, boolean forUpdate) throws SQLException {
    try (var st = c.prepareStatement("select max_days from retention_plans where name = ?" + (forUpdate ? " for update" : ""))) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(new RetentionPlan(name, integer(rs, 1))) : Optional.empty();
      }
    }
  }

  private static Optional<String> planOf(Connection c, String workspace, boolean forUpdate) throws SQLException {
    try (var st = c.prepareStatement("select plan from retention_plan_of where workspace = ?" + (forUpdate ? " for update" : ""))) {
      st.setString(1, workspace);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static Integer integer(ResultSet rs, int column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static void setInteger(PreparedStatement st, int i, Integer v) throws SQLException {
    if (v == null) st.setNull(i, Types.INTEGER);
    else st.setInt(i, v);
  }

  private static void setInstant(PreparedStatement st, int i, Instant t) throws SQLException {
    if (t == null) st.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    else st.setObject(i, t.atOffset(ZoneOffset.UTC));
  }
}
