package org.trailbook.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The idempotency check of one group commit, run by the journal writer. For each request it decides, before anything
 * of the request is sequenced, which entries repeat an event already stored (in an earlier group or earlier in this
 * one) and whether any id is reused with different content ({@link EntryContent}). A conflict refuses that request
 * alone: it mutates nothing, so the other requests drained into the same group are unaffected.
 *
 * <p>Entries of this group are remembered with their finished bytes; stored ones are looked up through the caller
 * (which reads them from disk — the same read that already confirms an id-hash candidate).
 *
 * <p>Public because every {@link EventStore} backend (the PostgreSQL one lives in the server module) must decide
 * duplicates and conflicts exactly alike.
 */
public final class GroupIds {
  /** An id taken in this group: its seq and canonical bytes. */
  private record Taken(long seq, byte[] canonical) {}

  /** Where an id of the request under check was first seen; its content is computed only if the id comes again. */
  private record First(int index, long seq, PendingEntry entry, EntryContent known) {
    EntryContent content() {
      return known != null ? known : EntryContent.of(entry);
    }
  }

  private final Map<String, Map<String, Taken>> taken = new HashMap<>();

  /**
   * For each entry of a request: the seq of the stored (or earlier in the group) event it repeats, or -1 when it is
   * new or repeats an entry earlier in the same request (see {@link #seqInGroup}).
   *
   * @param stored looks an id up among the workspace's entries of earlier groups, or null
   * @throws IdConflictException when an id is reused with different content; nothing was recorded
   */
  public long[] resolve(String workspace, List<PendingEntry> entries, Function<String, Entry> stored) {
    Map<String, Taken> inGroup = taken.getOrDefault(workspace, Map.of());
    Map<String, First> firsts = new HashMap<>();
    long[] known = new long[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      PendingEntry e = entries.get(i);
      First first = firsts.get(e.id());
      if (first != null) {
        // a repeat within the request: compare with its first occurrence (content computed only on this rare path)
        if (!EntryContent.of(e).sameEventAs(first.content())) {
          if (first.seq() >= 0) throw IdConflictException.stored(e.id(), first.seq(), i);
          throw IdConflictException.inBatch(e.id(), first.index(), i);
        }
        known[i] = first.seq();
        continue;
      }
      long seq = -1;
      byte[] original = null;
      Taken t = inGroup.get(e.id());
      if (t != null) {
        seq = t.seq();
        original = t.canonical();
      } else {
        Entry s = stored.apply(e.id());
        if (s != null) {
          seq = s.seq();
          original = s.canonical();
        }
      }
      EntryContent content = null;
      if (original != null) {
        content = EntryContent.of(e);
        if (!content.sameEventAs(EntryContent.of(original))) throw IdConflictException.stored(e.id(), seq, i);
      }
      known[i] = seq;
      firsts.put(e.id(), new First(i, seq, e, content));
    }
    return known;
  }

  /** Records an entry sequenced in this group. */
  public void add(String workspace, String id, long seq, byte[] canonical) {
    taken.computeIfAbsent(workspace, w -> new HashMap<>()).put(id, new Taken(seq, canonical));
  }

  /** The seq an id took earlier in this group, or -1. */
  public long seqInGroup(String workspace, String id) {
    Taken t = taken.getOrDefault(workspace, Map.of()).get(id);
    return t == null ? -1 : t.seq();
  }
}
