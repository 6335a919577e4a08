package org.trailbook.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.integrity.SigningLease;

/**
 * The signing lease on a shared PostgreSQL store: a session-level advisory lock
 * ({@code pg_try_advisory_lock}) held on a connection of its own, outside the pool, so that no
 * pooled statement can ever release it and a pool reset cannot lose it. The lock lives exactly as
 * long as the session: when the holder closes, crashes, or its backend is terminated (a database
 * restart, {@code pg_terminate_backend}), PostgreSQL releases it and the next node that tries gets it.
 *
 * <p>A background thread tries for the lock every {@link Options#retryEvery} while it is not held,
 * and while it is held re-checks it there (so a dead connection is noticed within that interval even
 * when nobody asks). {@link #held()} trusts a confirmation only for {@link Options#freshness}; an
 * older one is confirmed with the database on the caller's thread first, so the signer, asking right
 * before each pass, never signs on a lease whose session ended more than one round trip ago. Any doubt
 * (an error, a timeout) closes the connection: a session the node no longer trusts must not keep the
 * lock, and a fresh one is opened for the next try.
 *
 * <p>A session on a vanished client (a partitioned node) would keep the lock until the database
 * notices; the lease's session asks for TCP keepalives of about 25 s, so the lock moves after that
 * at worst. Session-level advisory locks need a direct connection or a session-mode pooler: a
 * transaction-mode pooler (PgBouncer {@code pool_mode=transaction}) cannot carry them.
 */
public final class PostgresSigningLease implements SigningLease {
  private static final Logger log = LoggerFactory.getLogger(PostgresSigningLease.class);

  private static final String CHECK = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
      + " AND pid = pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
      + " AND objsubid = 1 AND classid = ?::bigint::oid AND objid = ?::bigint::oid)";

  /**
   * @param retryEvery how often the lock is tried while not held, and re-checked while held
   * @param freshness how long {@link #held()} trusts a confirmation before asking again
   * @param queryTimeout the longest a check or a try may take (then the connection is given up)
   * @param connectTimeout the longest opening the lease's connection may take
   */
  public record Options(Duration retryEvery, Duration freshness, Duration queryTimeout, Duration connectTimeout) {
    /** Tries every 500 ms, trusts a check for 200 ms, gives a query 2 s and a connection 5 s. */
    public static Options defaults() {
      return new Options(Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
  }

  private final StoreUrl url;
  private final String name;
  private final long key;
  private final String nodeName;
  private final Options options;
  private final PartHealth health = new PartHealth("signing_lease", "the checkpoint signing lease",
      "this node signs no checkpoints until it reconnects (another node may); writes continue", false);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private Connection connection;
  /** Written under lock, read without it by the fast paths. */
  private volatile boolean holding;
  private volatile long confirmedNanos;
  private volatile boolean closed;
  private Supervisor supervisor;

  private PostgresSigningLease(StoreUrl url, String name, String nodeName, Options options) {
    this.url = url;
    this.name = name;
    this.key = lockKey(name);
    this.nodeName = nodeName;
    this.options = options;
  }

  /**
   * Starts trying for the lease {@code name} (the checkpoint signer's is {@code checkpoint_signer})
   * on the store at {@code url}; {@code nodeName} shows in logs and in {@code pg_stat_activity}.
   * Returns at once; {@link #awaitHeld} waits for the first outcome.
   */
  public static PostgresSigningLease start(StoreUrl url, String name, String nodeName, Options options) {
    PostgresSigningLease lease = new PostgresSigningLease(url, name, nodeName, options);
    Duration every = options.retryEvery();
    Supervisor.Backoff backoff = new Supervisor.Backoff(every, max(every, Duration.ofSeconds(5)), Duration.ofMinutes(1));
    lease.supervisor = Supervisor.start(Thread.ofPlatform().name("signing-lease").daemon(true), lease.health,
        Duration.ZERO, every, backoff, lease::tick);
    return lease;
  }

  /** The checkpoint signer's lease with the default options. */
  public static PostgresSigningLease forSigner(StoreUrl url, String nodeName) {
    return start(url, "checkpoint_signer", nodeName, Options.defaults());
  }

  @Override
  public boolean held() {
    if (closed || !holding) return false;
    if (System.nanoTime() - confirmedNanos < options.freshness().toNanos()) return true;
    lock.lock();
    try {
      if (closed || !holding) return false;
      if (System.nanoTime() - confirmedNanos < options.freshness().toNanos()) return true;
      try {
        confirm();
        return true;
      } catch (SQLException | RuntimeException e) {
        log.warn("[lease] cannot confirm the lease {} ({}); this node stops its work until it holds it again", name, e.toString());
        drop();
        return false;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean knownHeld() {
    return !closed && holding;
  }

  @Override
  public boolean awaitHeld(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!holding && !closed) {
        if (left <= 0) return false;
        left = changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
    return held();
  }

  @Override
  public Optional<PartHealth> health() {
    return Optional.of(health);
  }

  /** The advisory lock key of lease {@code name}: the first 8 bytes of SHA-256("trailbook lease " + name). */
  public static long lockKey(String name) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(("trailbook lease " + name).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (supervisor != null) supervisor.close();
    lock.lock();
    try {
      if (holding) log.info("[lease] {} gives up the lease {}", nodeName, name);
      holding = false;
      closeConnection(); // ends the session, which releases the lock at once
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    health.stopped();
  }

  /** One step of the background thread: connect if needed, then re-check the lock held or try for it. */
  private void tick() throws SQLException {
    lock.lock();
    try {
      if (closed) return;
      try {
        if (connection == null) connection = connect();
        if (holding) {
          confirm();
        } else if (tryLock()) {
          holding = true;
          confirmedNanos = System.nanoTime();
          log.info("[lease] {} now holds the lease {}", nodeName, name);
          changed.signalAll();
        }
      } catch (SQLException | RuntimeException e) {
        drop();
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean tryLock() throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      s.setLong(1, key);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  /** Asks the database whether this session still holds the lock; throws when it cannot say yes. */
  private void confirm() throws SQLException {
    if (connection == null) throw new SQLException("the lease's connection is closed");
    try (PreparedStatement s = connection.prepareStatement(CHECK)) {
      s.setLong(1, key >>> 32);
      s.setLong(2, key & 0xffff_ffffL);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        if (!r.getBoolean(1)) throw new IllegalStateException("the session no longer holds the advisory lock");
      }
    }
    confirmedNanos = System.nanoTime();
  }

  /** Forgets the lock and the session that held it (under lock). */
  private void drop() {
    if (holding) log.warn("[lease] {} lost the lease {}: it stops its work", nodeName, name);
    holding = false;
    closeConnection();
    changed.signalAll();
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing the lease's connection failed", e);
    }
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    url.password().ifPresent(pw -> p.setProperty("password", pw));
    String app = "trailbook lease " + nodeName;
    p.setProperty("ApplicationName", app.length() > 63 ? app.substring(0, 63) : app);
    p.setProperty("connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
    p.setProperty("loginTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
    p.setProperty("tcpKeepAlive", "true");
    // the server ends a session whose client vanished after ~25 s (idle 10 s, then 3 probes 5 s apart),
    // which releases the lock; a site-wide idle_session_timeout must not end the lease's session
    p.setProperty("options", "-c statement_timeout=" + options.queryTimeout().toMillis()
        + " -c idle_session_timeout=0 -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3");
    Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
    try {
      c.setAutoCommit(true); // the lock is session-level: no transaction holds it
      // a check on a dead network fails after this instead of hanging the signer
      c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, options.queryTimeout().toMillis()));
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public String toString() {
    return "signing lease " + name + " of " + nodeName + " on " + url + (holding ? " (held)" : "");
  }
}
