package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Checkpoints} store does. Implementations answer {@link #openCheckpoints}: each
 * call opens a store on the same state (the file store: the same root directory; the PostgreSQL
 * store: the same database), after the previous one is closed.
 */
public abstract class CheckpointsContract {
  private Checkpoints current;

  /** A store on this test's state. */
  protected abstract Checkpoints openCheckpoints();

  protected static String note(String workspace, long size) {
    return "trailbook.example/" + workspace + "\n" + size + "\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 trailbook.example AAAAAA==\n";
  }

  private Checkpoints store() {
    if (current == null) current = openCheckpoints();
    return current;
  }

  /** Closes the store and opens another on the same state. */
  private Checkpoints reopen() {
    if (current != null) current.close();
    current = openCheckpoints();
    return current;
  }

  @AfterEach
  void closeStore() {
    if (current != null) current.close();
  }

  @Test
  void startsEmpty() {
    assertThat(store().latest("acme")).isEmpty();
    assertThat(store().sizes("acme")).isEmpty();
    assertThat(store().atSize("acme", 0)).isEmpty();
  }

  @Test
  void keepsEveryCheckpointAcrossReopening() {
    for (long size : new long[] {1, 5, 8, 1000}) store().append("acme", size, note("acme", size));
    Checkpoints reopened = reopen();
    assertThat(reopened.sizes("acme")).containsExactly(1L, 5L, 8L, 1000L);
    assertThat(reopened.latest("acme")).contains(note("acme", 1000));
    assertThat(reopened.atSize("acme", 5)).contains(note("acme", 5));
    assertThat(reopened.atSize("acme", 6)).isEmpty();
    reopened.append("acme", 1001, note("acme", 1001));
    assertThat(reopened.latest("acme")).contains(note("acme", 1001));
    assertThat(reopen().sizes("acme")).containsExactly(1L, 5L, 8L, 1000L, 1001L);
  }

  @Test
  void aWorkspacesLogAnswersAsTheStoreDoes() {
    CheckpointLog log = store().log("acme");
    log.append(0, note("acme", 0));
    log.append(3, note("acme", 3));
    assertThat(log.sizes()).containsExactly(0L, 3L);
    assertThat(log.latest()).contains(note("acme", 3));
    assertThat(log.atSize(0)).contains(note("acme", 0));
    assertThat(store().sizes("acme")).containsExactly(0L, 3L);
    log.close();
    assertThat(store().latest("acme")).as("closing a handle keeps what it stored").contains(note("acme", 3));
  }

  @Test
  void requiresStrictlyIncreasingSizes() {
    store().append("acme", 7, note("acme", 7));
    assertThatThrownBy(() -> store().append("acme", 7, note("acme", 7))).isInstanceOf(CheckpointException.class)
        .hasMessage("treeSize 7 is not greater than the latest checkpoint's 7");
    assertThatThrownBy(() -> store().append("acme", 3, note("acme", 3))).isInstanceOf(CheckpointException.class)
        .hasMessage("treeSize 3 is not greater than the latest checkpoint's 7");
    assertThat(store().sizes("acme")).containsExactly(7L);
    assertThat(reopen().latest("acme")).contains(note("acme", 7));
  }

  @Test
  void refusesANegativeSizeAndAnEmptyOrTooLargeNote() {
    assertThatThrownBy(() -> store().append("acme", -1, note("acme", -1))).isInstanceOf(CheckpointException.class)
        .hasMessage("treeSize -1 is negative");
    assertThatThrownBy(() -> store().append("acme", 1, "")).isInstanceOf(CheckpointException.class)
        .hasMessage("signed note of 0 bytes is empty or larger than " + CheckpointStore.MAX_NOTE_BYTES);
    String huge = "x".repeat(CheckpointStore.MAX_NOTE_BYTES + 1);
    assertThatThrownBy(() -> store().append("acme", 1, huge)).isInstanceOf(CheckpointException.class)
        .hasMessage("signed note of " + (CheckpointStore.MAX_NOTE_BYTES + 1) + " bytes is empty or larger than " + CheckpointStore.MAX_NOTE_BYTES);
    assertThat(store().sizes("acme")).isEmpty();
    store().append("acme", 1, note("acme", 1));
    assertThat(store().sizes("acme")).containsExactly(1L);
  }

  @Test
  void workspacesAreSeparate() {
    store().append("acme", 5, note("acme", 5));
    store().append("beta", 2, note("beta", 2));
    store().append("acme", 9, note("acme", 9));
    store().append("beta", 3, note("beta", 3));
    Checkpoints reopened = reopen();
    assertThat(reopened.sizes("acme")).containsExactly(5L, 9L);
    assertThat(reopened.sizes("beta")).containsExactly(2L, 3L);
    assertThat(reopened.atSize("beta", 5)).isEmpty();
    assertThat(reopened.latest("beta")).contains(note("beta", 3));
    assertThat(reopened.sizes("gamma")).isEmpty();
  }

  @Test
  void findsAnySizeAmongManyCheckpoints() {
    for (long size = 1; size <= 300; size++) store().append("acme", size * 3, note("acme", size * 3));
    Checkpoints reopened = reopen();
    assertThat(reopened.sizes("acme")).hasSize(300).isSorted();
    assertThat(reopened.atSize("acme", 3 * 123)).contains(note("acme", 3 * 123));
    assertThat(reopened.atSize("acme", 3 * 123 + 1)).isEmpty();
    assertThat(reopened.latest("acme")).contains(note("acme", 900));
  }
}
