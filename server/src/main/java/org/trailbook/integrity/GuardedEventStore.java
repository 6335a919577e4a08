package org.trailbook.integrity;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.PendingEntry;

/**
 * An {@link EventStore} that refuses appends to workspaces whose log failed an integrity check, and
 * every append while the tree appender is failed (both at once, with 503); reads pass through.
 */
final class GuardedEventStore implements EventStore {
  private final EventStore store;
  private final LogIntegrity integrity;

  GuardedEventStore(EventStore store, LogIntegrity integrity) {
    this.store = store;
    this.integrity = integrity;
  }

  @Override
  public CompletableFuture<List<AppendResult>> append(String workspace, List<PendingEntry> entries) {
    integrity.checkWritable(workspace);
    return store.append(workspace, entries);
  }

  @Override
  public long size(String workspace) {
    return store.size(workspace);
  }

  @Override
  public List<Entry> read(String workspace, long from, long to) {
    return store.read(workspace, from, to);
  }

  @Override
  public List<Entry> readTail(String workspace, long from, long to) {
    return store.readTail(workspace, from, to);
  }

  @Override
  public Optional<Entry> findById(String workspace, String id) {
    return store.findById(workspace, id);
  }

  @Override
  public org.trailbook.journal.Purge purge(String workspace, long toSeq, long[] keep, String reason) {
    return store.purge(workspace, toSeq, keep, reason);
  }

  @Override
  public long purgedBefore(String workspace) {
    return store.purgedBefore(workspace);
  }

  @Override
  public byte[] purgedLeaves(String workspace, long from, long to) {
    return store.purgedLeaves(workspace, from, to);
  }

  @Override
  public List<org.trailbook.journal.Purge> purges(String workspace) {
    return store.purges(workspace);
  }

  @Override
  public Set<String> workspaces() {
    return store.workspaces();
  }

  @Override
  public org.trailbook.journal.FeedChanges changesSince(long cursor) {
    return store.changesSince(cursor);
  }

  @Override
  public boolean awaitChange(long cursor, java.time.Duration timeout) throws InterruptedException {
    return store.awaitChange(cursor, timeout);
  }

  @Override
  public List<Entry> readSeqs(String workspace, long[] seqs) {
    return store.readSeqs(workspace, seqs);
  }

  @Override
  public org.trailbook.health.PartHealth health() {
    return store.health();
  }

  @Override
  public int pendingEvents() {
    return store.pendingEvents();
  }

  @Override
  public void observe(org.trailbook.journal.GroupCommitObserver observer) {
    store.observe(observer);
  }

  @Override
  public void close() {
    store.close();
  }
}
