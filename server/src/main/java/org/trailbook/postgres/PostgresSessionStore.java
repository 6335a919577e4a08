package org.trailbook.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.access.Person;
import org.trailbook.ui.EndListeners;
import org.trailbook.ui.PageSession;
import org.trailbook.ui.Role;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.ViewerSession;
import org.trailbook.ui.ViewerTokens;

/**
 * Page sessions and used viewer-token ids in PostgreSQL, shared by every node.
 *
 * <p>Nothing is cached: every check reads the row, so a session ended on one node is refused on
 * every other at once (staleness 0). A token id is redeemed by an {@code insert … on conflict do
 * nothing}: of any number of nodes redeeming one link, exactly one inserts the row. An ended
 * session keeps its row (with {@code ended_at} and the reason) for {@link #ANNOUNCE_WINDOW}, and a
 * poller on each node reads the recently ended ones every {@link #POLL} and tells its end listeners
 * of those it has not yet told, so each node closes the live streams it opened. The same poller
 * deletes expired sessions and token ids.
 */
public final class PostgresSessionStore implements SessionStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresSessionStore.class);
  /** How often each node looks for sessions ended elsewhere: the most its listeners lag. */
  static final Duration POLL = Duration.ofMillis(250);
  /** How long an ended session's row is kept for other nodes to hear of it (seconds). */
  static final long ANNOUNCE_WINDOW = 120;
  private static final long SEEN_GRANULARITY_SECONDS = 60;
  private static final long PURGE_EVERY_MILLIS = 60_000;
  private static final String COLUMNS = "workspace, id, person_id, person_email, person_name, role, created_at, expires_at, minted_by, last_seen_at";

  private final PostgresDatabase db;
  private final Clock clock;
  private final EndListeners endListeners = new EndListeners();
  /** Ids of ended sessions this node's listeners were told of (or are being told of), with when they ended. */
  private final Map<String, Long> announced = new HashMap<>();
  private final Thread poller;
  private volatile boolean closed;

  public PostgresSessionStore(PostgresDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
    synchronized (announced) {
      // sessions ended before this node started had no streams here: nothing to tell
      for (var e : recentlyEnded()) announced.put(e.session().id(), now());
    }
    this.poller = Thread.ofPlatform().name("session-end-poller").daemon(true).start(this::pollLoop);
  }

  @Override
  public void redeem(ViewerSession token) {
    int inserted = Sql.run(db.dataSource(), "record a used sign-in link", c -> {
      try (var st = c.prepareStatement("insert into used_viewer_tokens (workspace, jti, expires_at) values (?, ?, ?) on conflict do nothing")) {
        st.setString(1, token.workspace());
        st.setString(2, token.id());
        st.setLong(3, token.expiresAt());
        return st.executeUpdate();
      }
    });
    if (inserted == 0) throw SessionStore.alreadyUsed();
  }

  @Override
  public Opened start(ViewerSession token) {
    Opened o = SessionStore.newSession(token, now());
    PageSession s = o.session();
    Sql.run(db.dataSource(), "open a page session", c -> {
      try (var st = c.prepareStatement("insert into page_sessions (" + COLUMNS + ", secret_sha256) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        st.setString(1, s.workspace());
        st.setString(2, s.id());
        st.setString(3, s.person().id());
        st.setString(4, s.person().email());
        st.setString(5, s.person().name());
        st.setString(6, s.role().wireName());
        st.setLong(7, s.createdAt());
        st.setLong(8, s.expiresAt());
        st.setString(9, s.mintedBy());
        st.setLong(10, s.lastSeenAt());
        st.setString(11, SessionStore.sha256(o.secret()));
        return st.executeUpdate();
      }
    });
    return o;
  }

  @Override
  public Optional<PageSession> find(String id, String secret) {
    long now = now();
    return Sql.run(db.dataSource(), "read a page session", c -> {
      PageSession s;
      String hash;
      try (var st = c.prepareStatement("select " + COLUMNS + ", secret_sha256 from page_sessions where id = ? and ended_at is null and expires_at > ?")) {
        st.setString(1, id);
        st.setLong(2, now);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) return Optional.<PageSession>empty();
          s = session(rs);
          hash = rs.getString(11);
        }
      }
      if (!SessionStore.secretMatches(secret, hash)) return Optional.<PageSession>empty();
      if (now - s.lastSeenAt() < SEEN_GRANULARITY_SECONDS) return Optional.of(s);
      try (var st = c.prepareStatement("update page_sessions set last_seen_at = ? where workspace = ? and id = ?")) {
        st.setLong(1, now);
        st.setString(2, s.workspace());
        st.setString(3, s.id());
        st.executeUpdate();
      }
      return Optional.of(new PageSession(s.id(), s.workspace(), s.person(), s.role(), s.createdAt(), s.expiresAt(), s.mintedBy(), now));
    });
  }

  @Override
  public Optional<PageSession> live(String id) {
    if (id == null) return Optional.empty();
    return Sql.run(db.dataSource(), "read a page session", c -> {
      try (var st = c.prepareStatement("select " + COLUMNS + " from page_sessions where id = ? and ended_at is null and expires_at > ?")) {
        st.setString(1, id);
        st.setLong(2, now());
        return first(st);
      }
    });
  }

  @Override
  public List<PageSession> list(String workspace) {
    return Sql.run(db.dataSource(), "list page sessions", c -> {
      try (var st = c.prepareStatement("select " + COLUMNS + " from page_sessions where workspace = ? and ended_at is null and expires_at > ? order by created_at, n")) {
        st.setString(1, workspace);
        st.setLong(2, now());
        return all(st);
      }
    });
  }

  @Override
  public Optional<PageSession> end(String workspace, String id, EndReason reason) {
    return endWhere("workspace = ? and id = ?", List.of(workspace, id), reason).stream().findFirst();
  }

  @Override
  public List<PageSession> endMintedBy(String keyId, EndReason reason) {
    return endWhere("minted_by = ?", List.of(keyId), reason);
  }

  @Override
  public void addEndListener(Consumer<Ended> listener) {
    endListeners.add(listener);
  }

  @Override
  public long now() {
    return clock.instant().getEpochSecond();
  }

  /** Deletes expired sessions, ended ones past the announce window and expired token ids; answers how many rows went. */
  public int purgeExpired() {
    long now = now();
    return Sql.run(db.dataSource(), "delete expired sessions", c -> {
      int n;
      try (var st = c.prepareStatement("delete from page_sessions where expires_at <= ? or ended_at < ?")) {
        st.setLong(1, now);
        st.setLong(2, now - ANNOUNCE_WINDOW);
        n = st.executeUpdate();
      }
      try (var st = c.prepareStatement("delete from used_viewer_tokens where expires_at <= ?")) {
        st.setLong(1, now);
        n += st.executeUpdate();
      }
      return n;
    });
  }

  @Override
  public void close() {
    closed = true;
    poller.interrupt();
    try {
      poller.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<PageSession> endWhere(String where, List<String> params, EndReason reason) {
    long now = now();
    List<PageSession> ended;
    // held across the update and the marking, so this node's poller never announces these a second time
    synchronized (announced) {
      ended = Sql.run(db.dataSource(), "end page sessions", c -> {
        try (var st = c.prepareStatement("update page_sessions set ended_at = ?, end_reason = ? where " + where
            + " and ended_at is null and expires_at > ? returning " + COLUMNS)) {
          st.setLong(1, now);
          st.setString(2, reason.name());
          for (int i = 0; i < params.size(); i++) st.setString(3 + i, params.get(i));
          st.setLong(3 + params.size(), now);
          return all(st);
        }
      });
      for (PageSession s : ended) announced.put(s.id(), now);
    }
    endListeners.fire(ended, reason);
    return ended;
  }

  private void pollLoop() {
    long lastPurge = 0;
    while (!closed) {
      try {
        announceEndedElsewhere();
        if (System.currentTimeMillis() - lastPurge >= PURGE_EVERY_MILLIS) {
          purgeExpired();
          lastPurge = System.currentTimeMillis();
        }
      } catch (RuntimeException e) {
        if (!closed) log.warn("cannot read sessions ended on other nodes; retrying: {}", e.getMessage());
      }
      try {
        Thread.sleep(POLL); // a polling interval, not a wait for something: the database has no push here
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Tells this node's listeners of sessions ended (on any node) that they have not heard of yet. */
  void announceEndedElsewhere() {
    List<Ended> news = new ArrayList<>();
    synchronized (announced) {
      long now = now();
      for (Ended e : recentlyEnded()) {
        if (announced.putIfAbsent(e.session().id(), now) == null) news.add(e);
      }
      announced.values().removeIf(at -> at < now - 2 * ANNOUNCE_WINDOW);
    }
    for (Ended e : news) endListeners.fire(List.of(e.session()), e.reason());
  }

  private List<Ended> recentlyEnded() {
    return Sql.run(db.dataSource(), "read ended sessions", c -> {
      try (var st = c.prepareStatement("select " + COLUMNS + ", end_reason from page_sessions where ended_at >= ?")) {
        st.setLong(1, now() - ANNOUNCE_WINDOW);
        List<Ended> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) out.add(new Ended(session(rs), EndReason.valueOf(rs.getString(11))));
        }
        return out;
      }
    });
  }

  private static Optional<PageSession> first(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      return rs.next() ? Optional.of(session(rs)) : Optional.empty();
    }
  }

  private static List<PageSession> all(PreparedStatement st) throws SQLException {
    List<PageSession> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) out.add(session(rs));
    }
    return out;
  }

  private static PageSession session(ResultSet rs) throws SQLException {
    Role role = Role.parse(rs.getString(6));
    if (role == null) throw new SQLException("session " + rs.getString(2) + " has an unknown role '" + rs.getString(6) + "'");
    return new PageSession(rs.getString(2), rs.getString(1), new Person(rs.getString(3), rs.getString(4), rs.getString(5)), role,
        rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getLong(10));
  }
}
