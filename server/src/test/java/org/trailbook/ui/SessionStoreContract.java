package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.trailbook.access.Person;

/**
 * What every {@link SessionStore} does, run against each backend. {@link #openStore} opens another
 * instance on the same backing: after a restart (file), or another node (database). {@link #peer}
 * is an instance in service at the same time as {@code s}: another node where the backend has
 * several, {@code s} itself where it has one.
 */
public abstract class SessionStoreContract {
  protected final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T10:00:00Z"));
  protected final Clock clock = new Clock() {
    @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now.get(); }
  };
  private final Person ana = new Person("u_1", "ana@acme.example", "Ana");

  /** A store on this test's backing, by {@link #clock}; called again, another instance on the same backing. */
  protected abstract SessionStore openStore();

  /** An instance in service beside {@code s}, on the same backing. */
  protected abstract SessionStore peer(SessionStore s);

  protected ViewerSession token(String jti, String workspace, String mintedBy, long ttl) {
    return new ViewerSession(jti, workspace, ana, Role.OWNER, now.get().getEpochSecond() + ttl, mintedBy);
  }

  /** Polls {@code condition} until it holds or {@code within} has passed. */
  protected static boolean eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(20);
    }
    return true;
  }

  @Test
  void aTokenIsRedeemedOnceAlsoAfterReopening() {
    SessionStore s = openStore();
    ViewerSession t = token("jti-1", "acme", "key_1", 600);
    s.redeem(t);
    assertThatThrownBy(() -> s.redeem(t)).isInstanceOfSatisfying(ViewerTokens.RejectedException.class,
        e -> assertThat(e.failure()).isEqualTo(ViewerTokens.Failure.ALREADY_USED));
    assertThatThrownBy(() -> openStore().redeem(t)).isInstanceOf(ViewerTokens.RejectedException.class);
    s.redeem(token("jti-2", "acme", "key_1", 600));
  }

  @Test
  void ofInstancesRacingToRedeemOneTokenExactlyOneWins() throws Exception {
    SessionStore a = openStore();
    SessionStore b = peer(a);
    ViewerSession t = token("jti-race", "acme", "key_1", 600);
    int n = 16;
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger won = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        SessionStore s = i % 2 == 0 ? a : b;
        all.add(pool.submit(() -> {
          go.await();
          try {
            s.redeem(t);
            won.incrementAndGet();
          } catch (ViewerTokens.RejectedException e) {
            if (e.failure() == ViewerTokens.Failure.ALREADY_USED) refused.incrementAndGet();
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : all) f.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(won.get()).isEqualTo(1);
    assertThat(refused.get()).isEqualTo(n - 1);
  }

  @Test
  void aSessionIsFoundOnlyWithItsSecretAndListedInOrderOfOpening() {
    SessionStore s = openStore();
    SessionStore.Opened o = s.start(token("jti-1", "acme", "key_1", 600));
    SessionStore.Opened o2 = s.start(token("jti-2", "acme", "key_1", 600));
    PageSession ps = o.session();
    assertThat(ps.workspace()).isEqualTo("acme");
    assertThat(ps.person()).isEqualTo(ana);
    assertThat(ps.mintedBy()).isEqualTo("key_1");
    assertThat(ps.expiresAt() - ps.createdAt()).isEqualTo(ViewerTokens.SESSION_TTL.toSeconds());
    SessionStore other = openStore();
    assertThat(other.find(ps.id(), o.secret())).contains(ps);
    assertThat(other.find(ps.id(), o.secret() + "x")).isEmpty();
    assertThat(other.find("ses_other", o.secret())).isEmpty();
    assertThat(other.live(ps.id())).contains(ps);
    assertThat(other.live(null)).isEmpty();
    assertThat(other.list("acme")).containsExactly(ps, o2.session());
    assertThat(other.list("globex")).isEmpty();
  }

  @Test
  void aSessionExpiresAfterItsTimeToLiveAndNotesWhenItWasSeen() {
    SessionStore s = openStore();
    SessionStore.Opened o = s.start(token("jti-1", "acme", "key_1", 600));
    now.set(now.get().plus(ViewerTokens.SESSION_TTL).minusSeconds(1));
    assertThat(s.find(o.session().id(), o.secret()).orElseThrow().lastSeenAt()).isEqualTo(now.get().getEpochSecond());
    now.set(now.get().plusSeconds(1));
    assertThat(s.find(o.session().id(), o.secret())).isEmpty();
    assertThat(s.live(o.session().id())).isEmpty();
    assertThat(s.list("acme")).isEmpty();
  }

  @Test
  void endingASessionIsImmediateAndAnnouncedOnce() throws Exception {
    SessionStore s = openStore();
    List<SessionStore.Ended> heard = new CopyOnWriteArrayList<>();
    s.addEndListener(heard::add);
    SessionStore.Opened a = s.start(token("jti-a", "acme", "key_1", 600));
    SessionStore.Opened b = s.start(token("jti-b", "acme", "key_1", 600));
    SessionStore.Opened c = s.start(token("jti-c", "acme", "key_2", 600));
    assertThat(s.end("globex", a.session().id(), SessionStore.EndReason.ENDED_BY_ADMIN)).isEmpty(); // another workspace's admin
    assertThat(s.end("acme", a.session().id(), SessionStore.EndReason.SIGNED_OUT)).contains(a.session());
    assertThat(s.find(a.session().id(), a.secret())).isEmpty();
    assertThat(s.end("acme", a.session().id(), SessionStore.EndReason.SIGNED_OUT)).isEmpty();
    assertThat(s.endMintedBy("key_2", SessionStore.EndReason.KEY_REVOKED)).containsExactly(c.session());
    // the ending instance tells its listeners before end() returns
    assertThat(heard).containsExactly(new SessionStore.Ended(a.session(), SessionStore.EndReason.SIGNED_OUT),
        new SessionStore.Ended(c.session(), SessionStore.EndReason.KEY_REVOKED));
    SessionStore reopened = openStore();
    assertThat(reopened.find(a.session().id(), a.secret())).isEmpty();
    assertThat(reopened.find(c.session().id(), c.secret())).isEmpty();
    assertThat(reopened.find(b.session().id(), b.secret())).isPresent();
    assertThat(reopened.list("acme")).containsExactly(b.session());
  }

  @Test
  void aSessionEndedOnOneInstanceIsRefusedAndAnnouncedOnItsPeer() throws Exception {
    SessionStore a = openStore();
    SessionStore b = peer(a);
    List<SessionStore.Ended> heardOnB = new CopyOnWriteArrayList<>();
    b.addEndListener(heardOnB::add);
    SessionStore.Opened o = a.start(token("jti-1", "acme", "key_1", 600));
    SessionStore.Opened o2 = a.start(token("jti-2", "acme", "key_9", 600));
    assertThat(b.find(o.session().id(), o.secret())).isPresent();
    a.end("acme", o.session().id(), SessionStore.EndReason.ENDED_BY_ADMIN);
    assertThat(b.find(o.session().id(), o.secret())).isEmpty(); // at once: no cache
    assertThat(b.live(o.session().id())).isEmpty();
    a.endMintedBy("key_9", SessionStore.EndReason.KEY_REVOKED);
    assertThat(b.live(o2.session().id())).isEmpty();
    assertThat(eventually(Duration.ofSeconds(5), () -> heardOnB.size() == 2)).isTrue();
    assertThat(heardOnB).containsExactlyInAnyOrder(new SessionStore.Ended(o.session(), SessionStore.EndReason.ENDED_BY_ADMIN),
        new SessionStore.Ended(o2.session(), SessionStore.EndReason.KEY_REVOKED));
  }
}
