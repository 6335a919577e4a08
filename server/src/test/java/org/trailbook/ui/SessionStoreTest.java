package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.TrailbookException;
import org.trailbook.access.Person;

/** The session store on its own: once-only tokens and sessions that live on disk, hashed, pruned, and end at once. */
class SessionStoreTest {
  @TempDir Path dir;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T10:00:00Z"));
  final Clock clock = new Clock() {
    @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now.get(); }
  };
  final Person ana = new Person("u_1", "ana@acme.example", "Ana");

  private ViewerSession token(String jti, String workspace, String mintedBy, long ttl) {
    return new ViewerSession(jti, workspace, ana, Role.OWNER, now.get().getEpochSecond() + ttl, mintedBy);
  }

  private static ViewerTokens.Failure failure(Throwable e) {
    return ((ViewerTokens.RejectedException) e).failure();
  }

  private String file() throws IOException {
    return Files.readString(dir.resolve(FileSessionStore.FILE));
  }

  @Test
  void usedTokenIdsAreKeptOnlyUntilTheTokenExpires() throws IOException {
    SessionStore store = SessionStore.open(dir, clock);
    store.redeem(token("jti-short", "acme", "key_1", 60));
    store.redeem(token("jti-long", "acme", "key_1", 3600));
    assertThat(file()).contains("jti-short", "jti-long");
    now.set(now.get().plusSeconds(60)); // jti-short's token has expired: ViewerTokens.verify refuses it from now on
    store.redeem(token("jti-next", "acme", "key_1", 60));
    assertThat(file()).doesNotContain("jti-short").contains("jti-long", "jti-next");
  }

  @Test
  void sessionsSurviveReopeningAndTheirSecretNeverReachesTheDisk() throws IOException {
    SessionStore store = SessionStore.open(dir, clock);
    SessionStore.Opened o = store.start(token("jti-1", "acme", "key_1", 600));
    PageSession s = o.session();
    assertThat(s.keyId()).isEqualTo("session:" + s.id());
    assertThat(s.mintedBy()).isEqualTo("key_1");
    assertThat(s.expiresAt() - s.createdAt()).isEqualTo(ViewerTokens.SESSION_TTL.toSeconds());
    assertThat(file()).contains(s.id(), SessionStore.sha256(o.secret())).doesNotContain(o.secret());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(FileSessionStore.FILE)))).isEqualTo("rw-------");

    SessionStore reopened = SessionStore.open(dir, clock);
    assertThat(reopened.find(s.id(), o.secret())).contains(s);
    assertThat(reopened.find(s.id(), o.secret() + "x")).isEmpty();
    assertThat(reopened.find("ses_other", o.secret())).isEmpty();
    assertThat(reopened.list("acme")).containsExactly(s);
    assertThat(reopened.list("globex")).isEmpty();
  }

  @Test
  void aSessionExpiresAfterEightHours() {
    SessionStore store = SessionStore.open(dir, clock);
    SessionStore.Opened o = store.start(token("jti-1", "acme", "key_1", 600));
    now.set(now.get().plus(ViewerTokens.SESSION_TTL).minusSeconds(1));
    assertThat(store.find(o.session().id(), o.secret())).isPresent();
    assertThat(store.find(o.session().id(), o.secret()).orElseThrow().lastSeenAt()).isEqualTo(now.get().getEpochSecond());
    now.set(now.get().plusSeconds(1));
    assertThat(store.find(o.session().id(), o.secret())).isEmpty();
    assertThat(store.live(o.session().id())).isEmpty();
    assertThat(store.list("acme")).isEmpty();
  }

  @Test
  void endingASessionIsImmediateDurableAndAnnounced() {
    SessionStore store = SessionStore.open(dir, clock);
    List<SessionStore.Ended> heard = new CopyOnWriteArrayList<>();
    store.addEndListener(heard::add);
    SessionStore.Opened a = store.start(token("jti-a", "acme", "key_1", 600));
    SessionStore.Opened b = store.start(token("jti-b", "acme", "key_1", 600));
    SessionStore.Opened c = store.start(token("jti-c", "acme", "key_2", 600));
    assertThat(a.session().keyId()).isNotEqualTo(b.session().keyId());

    assertThat(store.end("globex", a.session().id(), SessionStore.EndReason.ENDED_BY_ADMIN)).isEmpty(); // another workspace's admin
    assertThat(store.end("acme", a.session().id(), SessionStore.EndReason.SIGNED_OUT)).contains(a.session());
    assertThat(store.find(a.session().id(), a.secret())).isEmpty();
    assertThat(store.end("acme", a.session().id(), SessionStore.EndReason.SIGNED_OUT)).isEmpty();

    assertThat(store.endMintedBy("key_2", SessionStore.EndReason.KEY_REVOKED)).containsExactly(c.session());
    assertThat(heard).containsExactly(new SessionStore.Ended(a.session(), SessionStore.EndReason.SIGNED_OUT),
        new SessionStore.Ended(c.session(), SessionStore.EndReason.KEY_REVOKED));

    SessionStore reopened = SessionStore.open(dir, clock);
    assertThat(reopened.find(a.session().id(), a.secret())).isEmpty();
    assertThat(reopened.find(c.session().id(), c.secret())).isEmpty();
    assertThat(reopened.find(b.session().id(), b.secret())).isPresent();
  }

  @Test
  void aFileOfAnotherFormatOrVersionIsRefused() throws IOException {
    Files.writeString(dir.resolve(FileSessionStore.FILE), "{\"format\":\"trailbook.sessions\",\"version\":2,\"sessions\":[],\"used_tokens\":[]}");
    assertThatThrownBy(() -> SessionStore.open(dir, clock)).isInstanceOf(TrailbookException.class)
        .hasMessageContaining("trailbook.sessions format version 2, written by a newer Trailbook");
    Files.writeString(dir.resolve(FileSessionStore.FILE), "{\"format\":\"trailbook.views\",\"version\":1}");
    assertThatThrownBy(() -> SessionStore.open(dir, clock)).isInstanceOf(TrailbookException.class).hasMessageContaining("damaged format header");
    Files.writeString(dir.resolve(FileSessionStore.FILE), "[]");
    assertThatThrownBy(() -> SessionStore.open(dir, clock)).isInstanceOf(TrailbookException.class);
  }
}
