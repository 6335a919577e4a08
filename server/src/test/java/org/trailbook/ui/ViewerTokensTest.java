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
  void aTokenCarriesWorkspacePersonRoleAndTheKeyThatMintedIt() {
    String t = tokens.mint("acme", ana, "admin", 60, "key_1");
    ViewerSession s = tokens.verify(t);
    assertThat(s.workspace()).isEqualTo("acme");
    assertThat(s.person()).isEqualTo(ana);
    assertThat(s.role()).isEqualTo(Role.ADMIN);
    assertThat(s.mintedBy()).isEqualTo("key_1");
    assertThat(s.expiresAt()).isEqualTo(now.get().getEpochSecond() + 60);
    assertThat(tokens.verify(t).id()).isEqualTo(s.id()); // once-only is the SessionStore's job (see SessionStoreTest)
  }

  @Test
  void aTokenExpiresAfterItsTtl() {
    String t = tokens.mint("acme", ana, "owner", 60, "key_1");
    now.set(now.get().plusSeconds(59));
    assertThat(tokens.verify(t).person()).isEqualTo(ana);
    now.set(now.get().plusSeconds(1));
    assertThatThrownBy(() -> tokens.verify(t)).extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.EXPIRED);
  }

  @Test
  void tokensAndCookiesAreNotInterchangeable() {
    String t = tokens.mint("acme", ana, "owner", 60, "key_1");
    assertThatThrownBy(() -> tokens.readCookie(t)).isInstanceOf(ViewerTokens.RejectedException.class);
    String cookie = tokens.cookieValue("ses_1", "secret");
    assertThat(tokens.readCookie(cookie)).isEqualTo(new ViewerTokens.SessionCookie("ses_1", "secret"));
    String asToken = "tbv1" + cookie.substring(4);
    assertThatThrownBy(() -> tokens.verify(asToken)).extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.BAD_SIGNATURE);
  }

  @Test
  void anyChangedCharacterBreaksTheSignature() {
    String t = tokens.mint("acme", ana, "owner", 60, "key_1");
    int mid = t.indexOf('.') + 5;
    String changed = t.substring(0, mid) + (t.charAt(mid) == 'A' ? 'B' : 'A') + t.substring(mid + 1);
    assertThatThrownBy(() -> tokens.verify(changed)).isInstanceOf(ViewerTokens.RejectedException.class);
    assertThatThrownBy(() -> new ViewerTokens(new byte[32], clock).verify(t))
        .extracting(e -> ((ViewerTokens.RejectedException) e).failure()).isEqualTo(ViewerTokens.Failure.BAD_SIGNATURE);
  }

  @Test
  void ttlIsBoundedTo24Hours() {
    assertThatThrownBy(() -> tokens.mint("acme", ana, "owner", 86_401, "key_1")).isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).problems()).extracting(p -> p.field()).containsExactly("ttl_seconds"));
    assertThat(tokens.mint("acme", ana, "owner", 86_400, "key_1")).startsWith("tbv1.");
  }
}
