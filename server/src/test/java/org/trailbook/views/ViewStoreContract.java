package org.trailbook.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trailbook.ConflictException;
import org.trailbook.InvalidInputException;
import org.trailbook.NotFoundException;

/**
 * What every {@link ViewStore} does, run against each backend. {@link #openStore} opens another
 * instance on the same backing (the file store after a restart; another node of a database).
 */
public abstract class ViewStoreContract {
  /** A store on this test's backing; called again, another instance on the same backing. */
  protected abstract ViewStore openStore();

  @Test
  void viewsAreScopedToWorkspaceAndOwnerAndKeptInCreationOrder() {
    ViewStore s = openStore();
    SavedView a = s.create("acme", "riley", " Failures ", "status=failure");
    SavedView b = s.create("acme", "riley", "Sign-ins", "q=auth.login");
    s.create("acme", "sam", "Failures", "status=failure");
    s.create("globex", "riley", "Failures", "");
    assertThat(a.name()).isEqualTo("Failures");
    assertThat(a.id()).startsWith("view_");
    assertThat(s.list("acme", "riley")).containsExactly(a, b);
    assertThat(openStore().list("acme", "riley")).containsExactly(a, b);
    assertThat(s.list("acme", "nobody")).isEmpty();
  }

  @Test
  void onlyTheOwnerDeletesAView() {
    ViewStore s = openStore();
    SavedView a = s.create("acme", "riley", "Failures", "status=failure");
    assertThatThrownBy(() -> s.delete("acme", "sam", a.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> s.delete("globex", "riley", a.id())).isInstanceOf(NotFoundException.class);
    s.delete("acme", "riley", a.id());
    assertThat(openStore().list("acme", "riley")).isEmpty();
    assertThatThrownBy(() -> s.delete("acme", "riley", a.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void namesAreUniquePerOwnerAndInputIsChecked() {
    ViewStore s = openStore();
    s.create("acme", "riley", "Failures", "status=failure");
    assertThatThrownBy(() -> openStore().create("acme", "riley", "Failures", "x=1")).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> s.create("acme", "riley", " ", "x=1")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> s.create("acme", "riley", "Q", "?x=1")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> s.create("acme", "riley", "Q", "x".repeat(ViewStore.MAX_QUERY_CHARS + 1))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> s.create("acme", "riley", "Q", null)).isInstanceOf(InvalidInputException.class);
    assertThat(s.list("acme", "riley")).hasSize(1);
  }

  @Test
  void anOwnerHasAtMostMaxPerOwnerViews() {
    ViewStore s = openStore();
    for (int i = 0; i < ViewStore.MAX_PER_OWNER; i++) s.create("acme", "riley", "v" + i, "");
    assertThatThrownBy(() -> openStore().create("acme", "riley", "one more", "")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("too many");
    s.create("acme", "sam", "another owner", ""); // the limit is per owner
    List<SavedView> mine = s.list("acme", "riley");
    s.delete("acme", "riley", mine.getFirst().id());
    s.create("acme", "riley", "one more", "");
    assertThat(s.list("acme", "riley")).hasSize(ViewStore.MAX_PER_OWNER);
  }
}
