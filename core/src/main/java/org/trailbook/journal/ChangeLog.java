package org.trailbook.journal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The embedded journal's change feed: which workspaces each recent group commit touched, in a
 * ring of the last {@code capacity} (group, workspace) pairs. The cursor is the number of groups
 * recorded since the journal opened; a cursor the ring no longer covers (or {@link FeedChanges#ALL})
 * is answered with null, meaning "every workspace". Waiting consumers are woken by {@link #record}:
 * a notify, no other work on the writer thread.
 */
final class ChangeLog {
  private final long[] groups;
  private final String[] workspaces;
  private long written; // pairs recorded so far; the slot of pair i is i % capacity
  private long cursor; // groups recorded so far
  private long forgotten; // every group up to this one may have lost pairs to the ring

  ChangeLog(int capacity) {
    this.groups = new long[capacity];
    this.workspaces = new String[capacity];
  }

  /** One group commit touched these workspaces (their sizes are already published). Writer thread. */
  synchronized void record(Set<String> touched) {
    cursor++;
    for (String ws : touched) {
      int slot = (int) (written++ % groups.length);
      if (workspaces[slot] != null) forgotten = Math.max(forgotten, groups[slot]);
      groups[slot] = cursor;
      workspaces[slot] = ws;
    }
    notifyAll();
  }

  /** The cursor now: the number of groups recorded. */
  synchronized long cursor() {
    return cursor;
  }

  /**
   * The workspaces touched by groups after {@code since}, or null when that is no longer known
   * (a cursor older than the ring, from another run of the journal, or {@link FeedChanges#ALL}).
   */
  synchronized Set<String> touchedSince(long since) {
    if (since < forgotten || since > cursor) return null;
    Set<String> out = new HashSet<>();
    for (long i = written - 1; i >= 0 && i >= written - groups.length; i--) {
      int slot = (int) (i % groups.length);
      if (groups[slot] <= since) break;
      out.add(workspaces[slot]);
    }
    return out;
  }

  /** Waits until a group after {@code since} is recorded or the timeout elapsed; true if one is. */
  synchronized boolean await(long since, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (cursor <= since) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
