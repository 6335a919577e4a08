package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.trailbook.InvalidInputException;
import org.trailbook.access.Person;

class ViewerTokensTest {
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T10:00:00Z"));
  final Clock clock = new Clock() {
    @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now.get(); }
  };
  final ViewerTokens tokens = new ViewerTokens(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, clock);
  final Person ana = new Person("u_1", "ana@acme.example", "Ana");

  @Test
  void aTokenCarriesWorkspacePersonAndRoleAndIsRedeemedOnce() {
    String t = tokens.mint("acme", ana, "admin", 60);
    ViewerSession s = tokens.redeem(t);
    assertThat(s.workspace()).isEqualTo("acme");
    assertThat(s.person()).isEqualTo(ana);
    assertThat(s.role()).isEqualTo(Role.ADMIN);
    assertThat(s.expiresAt()).isEqualTo(now.get().getEpochSecond() + 60);
    assertThatThrownBy(() -> tokens.redeem(t)).extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.ALREADY_USED);
  }

  @Test
  void aTokenExpiresAfterItsTtlAndASessionAfterEightHours() {
    String t = tokens.mint("acme", ana, "owner", 60);
    now.set(now.get().plusSeconds(60));
    assertThatThrownBy(() -> tokens.redeem(t)).extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.EXPIRED);
    now.set(now.get().minusSeconds(1));
    String cookie = tokens.cookieValue(tokens.newSession(tokens.redeem(t)));
    assertThat(tokens.session(cookie).person()).isEqualTo(ana);
    now.set(now.get().plus(ViewerTokens.SESSION_TTL).minusSeconds(1));
    assertThat(tokens.session(cookie).role()).isEqualTo(Role.OWNER);
    now.set(now.get().plusSeconds(1));
    assertThatThrownBy(() -> tokens.session(cookie)).extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.EXPIRED);
  }

  @Test
  void tokensAndCookiesAreNotInterchangeable() {
    String t = tokens.mint("acme", ana, "owner", 60);
    assertThatThrownBy(() -> tokens.session(t)).isInstanceOf(ViewerTokens.RejectedException.class);
    String cookie = tokens.cookieValue(tokens.newSession(tokens.redeem(t)));
    String asToken = "tbv1" + cookie.substring(4);
    assertThatThrownBy(() -> tokens.redeem(asToken)).extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.BAD_SIGNATURE);
  }

  @Test
  void anyChangedCharacterBreaksTheSignature() {
    String t = tokens.mint("acme", ana, "owner", 60);
    int mid = t.indexOf('.') + 5;
    String changed = t.substring(0, mid) + (t.charAt(mid) == 'A' ? 'B' : 'A') + t.substring(mid + 1);
    assertThatThrownBy(() -> tokens.redeem(changed)).isInstanceOf(ViewerTokens.RejectedException.class);
    assertThatThrownBy(() -> new ViewerTokens(new byte[32], clock).redeem(t))
        .extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.BAD_SIGNATURE);
  }

  @Test
  void ttlIsBoundedTo24Hours() {
    assertThatThrownBy(() -> tokens.mint("acme", ana, "owner", 86_401)).isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).problems()).extracting(p -> p.field()).containsExactly("ttl_seconds"));
    assertThat(tokens.mint("acme", ana, "owner", 86_400)).startsWith("tbv1.");
  }
}
