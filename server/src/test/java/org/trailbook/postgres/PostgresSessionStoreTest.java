package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.SessionStoreContract;
import org.trailbook.ui.ViewerTokens;

/** The session contract against PostgreSQL: every instance is another node on one database; plus clean-up. */
class PostgresSessionStoreTest extends SessionStoreContract {
  private final PgNodes nodes = new PgNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Override
  protected SessionStore openStore() {
    return nodes.closing(new PostgresSessionStore(nodes.node(), clock));
  }

  @Override
  protected SessionStore peer(SessionStore s) {
    return openStore();
  }

  @Test
  void theNodeThatEndsASessionTellsItsListenersOnlyOnceAndANewNodeHearsNoOldEnds() {
    PostgresSessionStore s = (PostgresSessionStore) openStore();
    List<SessionStore.Ended> heard = new CopyOnWriteArrayList<>();
    s.addEndListener(heard::add);
    SessionStore.Opened o = s.start(token("jti-1", "acme", "key_1", 600));
    s.end("acme", o.session().id(), SessionStore.EndReason.SIGNED_OUT);
    s.announceEndedElsewhere(); // what its poller does
    assertThat(heard).hasSize(1);
    PostgresSessionStore later = (PostgresSessionStore) openStore();
    List<SessionStore.Ended> heardLater = new CopyOnWriteArrayList<>();
    later.addEndListener(heardLater::add);
    later.announceEndedElsewhere();
    assertThat(heardLater).isEmpty(); // ended before it started: it opened no streams for it
  }

  @Test
  void expiredSessionsAndTokenIdsAreDeleted() {
    PostgresSessionStore s = (PostgresSessionStore) openStore();
    s.redeem(token("jti-short", "acme", "key_1", 60));
    s.redeem(token("jti-long", "acme", "key_1", ViewerTokens.SESSION_TTL.toSeconds() + 60));
    SessionStore.Opened o = s.start(token("jti-s", "acme", "key_1", 60));
    assertThat(s.purgeExpired()).isZero();
    now.set(now.get().plusSeconds(60));
    assertThat(s.purgeExpired()).isEqualTo(1); // jti-short: its token can no longer be verified anyway
    s.redeem(token("jti-short", "acme", "key_1", 60)); // its row is gone (a new token with that id would be a forgery's odds)
    now.set(now.get().plus(ViewerTokens.SESSION_TTL));
    assertThat(s.purgeExpired()).isEqualTo(3); // the session, jti-short again, jti-long
    assertThat(s.live(o.session().id())).isEmpty();
  }
}
