package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** One signer at a time on a real PostgreSQL: the advisory lock is held by one lease and moves when its session ends. */
class PostgresSigningLeaseTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());

  @Test
  void ofTwoLeasesOnOneDatabaseExactlyOneHolds() throws Exception {
    try (PostgresSigningLease a = lease("node-a"); PostgresSigningLease b = lease("node-b")) {
      PostgresSigningLease holder = firstHolder(a, b);
      PostgresSigningLease other = holder == a ? b : a;
      // the other keeps trying every 500 ms meanwhile; over several of its tries it never gets the lease
      assertThat(other.awaitHeld(Duration.ofSeconds(2))).isFalse();
      assertThat(holder.held()).isTrue();
      assertThat(other.held()).isFalse();
      assertThat(other.knownHeld()).isFalse();
      assertThat(holderPids()).isEqualTo(1);
      assertThat(other.health().orElseThrow().problem(TimeUnit.MINUTES.toNanos(1))).isNull(); // waiting is not a fault
    }
  }

  @Test
  void whenTheHolderClosesTheOtherHoldsWithinSeconds() throws Exception {
    try (PostgresSigningLease a = lease("node-a"); PostgresSigningLease b = lease("node-b")) {
      PostgresSigningLease holder = firstHolder(a, b);
      PostgresSigningLease other = holder == a ? b : a;
      assertThat(other.held()).isFalse();
      holder.close();
      assertThat(holder.held()).isFalse();
      assertThat(other.awaitHeld(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void whenTheHoldersBackendIsTerminatedItStopsHoldingAndOneNodeHoldsAgain() throws Exception {
    try (PostgresSigningLease a = lease("node-a"); PostgresSigningLease b = lease("node-b")) {
      PostgresSigningLease holder = firstHolder(a, b);
      long before = holderPid();
      terminate(before);
      eventually(() -> !holder.held(), "the terminated holder reports the lease not held");
      eventually(() -> a.held() ^ b.held(), "exactly one lease holds again");
      assertThat(holderPid()).isNotEqualTo(before);
      assertThat(a.held() && b.held()).isFalse();
    }
  }

  @Test
  void heldAsksTheDatabaseSoADeadSessionIsNoticedAtTheNextCallNotAtTheNextCheck() throws Exception {
    // the background check is a minute away: only held()'s own confirmation can notice the loss
    PostgresSigningLease.Options slow = new PostgresSigningLease.Options(Duration.ofMinutes(1), Duration.ZERO,
        Duration.ofSeconds(2), Duration.ofSeconds(5));
    try (PostgresSigningLease a = PostgresSigningLease.start(url, "checkpoint_signer", "node-a", slow)) {
      assertThat(a.awaitHeld(DEADLINE)).isTrue();
      assertThat(a.held()).isTrue();
      terminate(holderPid());
      assertThat(a.held()).isFalse();
      assertThat(a.knownHeld()).isFalse();
    }
  }

  @Test
  void differentLeaseNamesAreDifferentLocks() throws Exception {
    try (PostgresSigningLease a = PostgresSigningLease.start(url, "checkpoint_signer", "node-a", PostgresSigningLease.Options.defaults());
        PostgresSigningLease other = PostgresSigningLease.start(url, "something_else", "node-b", PostgresSigningLease.Options.defaults())) {
      assertThat(a.awaitHeld(DEADLINE)).isTrue();
      assertThat(other.awaitHeld(DEADLINE)).isTrue();
    }
    assertThat(PostgresSigningLease.lockKey("checkpoint_signer")).isNotEqualTo(PostgresSigningLease.lockKey("something_else"));
  }

  /** Waits until one of the two holds the lease and answers it. */
  private static PostgresSigningLease firstHolder(PostgresSigningLease a, PostgresSigningLease b) {
    eventually(() -> a.knownHeld() || b.knownHeld(), "one of the leases holds");
    return a.knownHeld() ? a : b;
  }

  @Test
  void anUnreachableStoreIsAFaultRetriedWithBackOffAndNeverHeld() throws Exception {
    StoreUrl nowhere = StoreUrl.parse("postgresql://tb:secret@127.0.0.1:1/none", java.util.Optional.empty());
    PostgresSigningLease.Options quick = new PostgresSigningLease.Options(Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofSeconds(1), Duration.ofSeconds(1));
    try (PostgresSigningLease lease = PostgresSigningLease.start(nowhere, "checkpoint_signer", "node-a", quick)) {
      var health = lease.health().orElseThrow();
      eventually(() -> health.failures() > 0, "the failed connection is counted");
      assertThat(health.state()).isEqualTo(org.trailbook.health.PartHealth.State.BACKING_OFF);
      assertThat(health.problem(TimeUnit.MINUTES.toNanos(1))).contains("signing lease").doesNotContain("secret");
      assertThat(lease.held()).isFalse();
      assertThat(lease.toString()).doesNotContain("secret");
    }
  }

  private PostgresSigningLease lease(String node) {
    return PostgresSigningLease.forSigner(url, node);
  }

  private Connection admin() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    url.password().ifPresent(pw -> p.setProperty("password", pw));
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }

  private static final String HOLDERS = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
      + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

  private int holderPids() throws SQLException {
    try (Connection c = admin(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM (" + HOLDERS + ") h");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getInt(1);
    }
  }

  private long holderPid() throws SQLException {
    try (Connection c = admin(); PreparedStatement s = c.prepareStatement(HOLDERS); ResultSet r = s.executeQuery()) {
      assertThat(r.next()).as("a session holds the advisory lock").isTrue();
      long pid = r.getLong(1);
      assertThat(r.next()).as("only one session holds it").isFalse();
      return pid;
    }
  }

  private void terminate(long pid) throws SQLException {
    try (Connection c = admin(); PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?::int)")) {
      s.setLong(1, pid);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        assertThat(r.getBoolean(1)).isTrue();
      }
    }
  }

  private static void eventually(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what + " within " + DEADLINE.toSeconds() + " s").isTrue();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
