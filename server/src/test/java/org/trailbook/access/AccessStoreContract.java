package org.trailbook.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.trailbook.ConflictException;
import org.trailbook.InvalidInputException;
import org.trailbook.NotFoundException;
import org.trailbook.Problem;

/**
 * What every {@link AccessStore} does, whatever keeps its state. Implementations answer {@link
 * #openStore}: each call opens a store on the same state (the file store: the same directory; the
 * PostgreSQL store: the same database, as another node would).
 */
public abstract class AccessStoreContract {
  /** Times stored to the millisecond; the odd millisecond shows a round trip keeps it. */
  protected static final Instant NOW = Instant.parse("2026-03-04T05:06:07.089Z");
  protected static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** A store on this test's state; every call opens another on the same state. Closed by the implementation's test. */
  protected abstract AccessStore openStore(Clock clock);

  private AccessStore store() {
    return openStore(CLOCK);
  }

  private static void assertUnauthenticated(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.unauthenticated()).isTrue())
        .hasMessage(message);
  }

  // ------------------------------------------------------------------ the admin key

  @Test
  void initAdminKeyMakesOneRandomKeyOnceAndShowsIt() {
    AccessStore store = store();
    assertThat(store.isActive("admin")).as("no admin key yet").isFalse();
    String key = store.initAdminKey(null).orElseThrow();
    assertThat(key).startsWith("tba_").hasSizeGreaterThan(40);
    assertThat(store.authenticate(key)).isEqualTo(Credential.admin());
    assertThat(store.isActive("admin")).isTrue();
    assertThat(store.initAdminKey(null)).as("a later start keeps it").isEmpty();
    assertThat(store.initAdminKey("tba_configured_later")).isEmpty();
    AccessStore reopened = store();
    assertThat(reopened.initAdminKey(null)).isEmpty();
    assertThat(reopened.authenticate(key).platformAdmin()).isTrue();
    assertUnauthenticated(() -> reopened.authenticate("tba_configured_later"), "unknown or revoked API key");
  }

  @Test
  void aConfiguredAdminKeyIsUsedAndNotShown() {
    AccessStore store = store();
    assertThat(store.initAdminKey("tba_configured")).isEmpty();
    assertThat(store.authenticate("tba_configured").platformAdmin()).isTrue();
    assertThat(store().authenticate("tba_configured").platformAdmin()).isTrue();
  }

  @Test
  void resetAdminKeyReplacesTheKey() {
    AccessStore store = store();
    String first = store.initAdminKey(null).orElseThrow();
    String second = store.resetAdminKey(null);
    assertThat(second).startsWith("tba_").isNotEqualTo(first);
    assertUnauthenticated(() -> store.authenticate(first), "unknown or revoked API key");
    assertThat(store.authenticate(second).platformAdmin()).isTrue();
    assertThat(store.resetAdminKey("  tba_chosen ")).isEqualTo("tba_chosen");
    AccessStore reopened = store();
    assertThat(reopened.authenticate("tba_chosen").platformAdmin()).isTrue();
    assertUnauthenticated(() -> reopened.authenticate(second), "unknown or revoked API key");
  }

  @Test
  void aMissingOrUnknownCredentialIsRefused() {
    AccessStore store = store();
    store.initAdminKey("tba_admin");
    assertUnauthenticated(() -> store.authenticate(null), "missing credential: send 'Authorization: Bearer <key>'");
    assertUnauthenticated(() -> store.authenticate("  "), "missing credential: send 'Authorization: Bearer <key>'");
    assertUnauthenticated(() -> store.authenticate("tbk_unknown"), "unknown or revoked API key");
    assertThat(store.isActive("key_0123456789abcdef")).isFalse();
  }

  // ------------------------------------------------------------------ workspaces

  @Test
  void workspacesAreKeptInTheOrderTheyWereCreated() {
    AccessStore store = store();
    assertThat(store.workspaces()).isEmpty();
    Workspace zeta = store.createWorkspace("zeta", "Zeta Ltd");
    Workspace acme = store.createWorkspace("acme", null);
    assertThat(zeta).isEqualTo(new Workspace("zeta", "Zeta Ltd", "2026-03-04T05:06:07.089Z"));
    assertThat(acme.name()).as("the id names it by default").isEqualTo("acme");
    assertThat(store.workspaces()).containsExactly(zeta, acme);
    assertThat(store.workspace("acme")).contains(acme);
    assertThat(store.workspace("nope")).isEmpty();
    assertThat(store().workspaces()).containsExactly(zeta, acme);
  }

  @Test
  void aWorkspaceIdIsTakenOnce() {
    AccessStore store = store();
    store.createWorkspace("acme", "Acme");
    assertThatThrownBy(() -> store().createWorkspace("acme", "Other")).isInstanceOf(ConflictException.class)
        .hasMessage("workspace 'acme' already exists");
    assertThat(store.workspace("acme").orElseThrow().name()).isEqualTo("Acme");
  }

  @Test
  void anInvalidWorkspaceIsRefusedNamingEachField() {
    AccessStore store = store();
    assertThatThrownBy(() -> store.createWorkspace("Bad_Id", " ")).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).extracting(Problem::field).containsExactly("id", "name"));
    assertThatThrownBy(() -> store.createWorkspace(null, "x")).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).containsExactly(Problem.of("id", "is required")));
    assertThat(store.workspaces()).isEmpty();
  }

  // ------------------------------------------------------------------ keys

  @Test
  void aKeyAuthenticatesAsItsWorkspaceWithItsScopes() {
    AccessStore store = store();
    store.createWorkspace("acme", "Acme");
    AccessStore.CreatedKey created = store.createKey("acme", "ci", List.of("ingest", "read"));
    ApiKey k = created.key();
    assertThat(created.secret()).startsWith("tbk_").hasSizeGreaterThan(40);
    assertThat(k.id()).matches("key_[0-9a-f]{16}");
    assertThat(k).isEqualTo(new ApiKey(k.id(), "acme", "ci", Set.of(Scope.INGEST, Scope.READ), AccessRules.sha256(created.secret()),
        "2026-03-04T05:06:07.089Z", null));
    assertThat(store.authenticate(created.secret())).isEqualTo(new Credential(k.id(), "acme", Set.of(Scope.INGEST, Scope.READ), false));
    assertThat(store.authenticate(" " + created.secret() + "\n").keyId()).as("surrounding blanks are ignored").isEqualTo(k.id());
    assertThat(store.isActive(k.id())).isTrue();
    assertThat(store.keyBySecret(created.secret())).contains(k);
    assertThat(store.keyBySecret("tbk_other")).isEmpty();
    assertThat(store.keys("acme")).containsExactly(k);
    AccessStore reopened = store();
    assertThat(reopened.keys("acme")).containsExactly(k);
    assertThat(reopened.authenticate(created.secret()).workspace()).isEqualTo("acme");
  }

  @Test
  void keysAreListedPerWorkspaceInTheOrderTheyWereCreated() {
    AccessStore store = store();
    store.createWorkspace("acme", null);
    store.createWorkspace("zeta", null);
    ApiKey a1 = store.createKey("acme", "one", List.of("read")).key();
    ApiKey z1 = store.createKey("zeta", "one", List.of("admin")).key();
    ApiKey a2 = store.createKey("acme", "two", List.of("export", "admin")).key();
    assertThat(store.keys("acme")).containsExactly(a1, a2);
    assertThat(store.keys("zeta")).containsExactly(z1);
    assertThatThrownBy(() -> store.keys("nope")).isInstanceOf(NotFoundException.class).hasMessage("no workspace 'nope'");
  }

  @Test
  void aChosenSecretIsUsedAsGiven() {
    AccessStore store = store();
    store.createWorkspace("demo", null);
    AccessStore.CreatedKey created = store.createKey("demo", "demo", List.of("read"), "tbk_demo_secret");
    assertThat(created.secret()).isEqualTo("tbk_demo_secret");
    assertThat(store.authenticate("tbk_demo_secret").keyId()).isEqualTo(created.key().id());
    assertThat(store().keyBySecret("tbk_demo_secret")).contains(created.key());
  }

  @Test
  void anInvalidKeyIsRefusedNamingEachField() {
    AccessStore store = store();
    assertThatThrownBy(() -> store.createKey("nope", "ci", List.of("read"))).isInstanceOf(NotFoundException.class)
        .hasMessage("no workspace 'nope'");
    store.createWorkspace("acme", null);
    assertThatThrownBy(() -> store.createKey("acme", "", List.of("read", "write"))).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).extracting(Problem::field).containsExactly("name", "scopes[1]"));
    assertThatThrownBy(() -> store.createKey("acme", "ci", List.of())).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).extracting(Problem::field).containsExactly("scopes"));
    assertThat(store.keys("acme")).isEmpty();
  }

  // ------------------------------------------------------------------ revocation

  @Test
  void aRevokedKeyIsRefusedAtOnceAndTheListenersAreTold() {
    AccessStore store = store();
    store.createWorkspace("acme", null);
    AccessStore.CreatedKey created = store.createKey("acme", "ci", List.of("ingest"));
    AccessStore.CreatedKey other = store.createKey("acme", "other", List.of("read"));
    List<ApiKey> told = new CopyOnWriteArrayList<>();
    store.addRevocationListener(told::add);
    assertThat(store.authenticate(created.secret()).keyId()).isEqualTo(created.key().id());

    ApiKey revoked = store.revokeKey("acme", created.key().id());
    assertThat(revoked.revoked()).isTrue();
    assertThat(revoked.revokedAt()).isEqualTo("2026-03-04T05:06:07.089Z");
    assertThat(revoked.secretHash()).isEqualTo(created.key().secretHash());
    assertThat(told).containsExactly(revoked);
    assertUnauthenticated(() -> store.authenticate(created.secret()), "unknown or revoked API key");
    assertThat(store.isActive(created.key().id())).isFalse();
    assertThat(store.keyBySecret(created.secret())).as("still found, as revoked").contains(revoked);
    assertThat(store.keys("acme")).containsExactly(revoked, other.key());
    assertThat(store.authenticate(other.secret()).keyId()).as("other keys still work").isEqualTo(other.key().id());

    assertThat(store.revokeKey("acme", created.key().id())).as("revoking again changes nothing").isEqualTo(revoked);
    assertThat(told).containsExactly(revoked);
    AccessStore reopened = store();
    assertUnauthenticated(() -> reopened.authenticate(created.secret()), "unknown or revoked API key");
    assertThat(reopened.keys("acme")).containsExactly(revoked, other.key());
  }

  @Test
  void revokingAnUnknownKeyOrWorkspaceIsNotFound() {
    AccessStore store = store();
    store.createWorkspace("acme", null);
    store.createWorkspace("zeta", null);
    ApiKey k = store.createKey("acme", "ci", List.of("read")).key();
    assertThatThrownBy(() -> store.revokeKey("acme", "key_unknown")).isInstanceOf(NotFoundException.class)
        .hasMessage("no key 'key_unknown' in workspace 'acme'");
    assertThatThrownBy(() -> store.revokeKey("zeta", k.id())).as("a key of another workspace").isInstanceOf(NotFoundException.class)
        .hasMessage("no key '" + k.id() + "' in workspace 'zeta'");
    assertThatThrownBy(() -> store.revokeKey("nope", k.id())).isInstanceOf(NotFoundException.class).hasMessage("no workspace 'nope'");
    assertThat(store.isActive(k.id())).isTrue();
  }
}
