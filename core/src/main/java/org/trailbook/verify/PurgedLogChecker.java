package org.trailbook.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.trailbook.Times;
import org.trailbook.journal.Purge;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/**
 * Checks a workspace log that may have been purged (docs/adr/0004), feeding a {@link LogChecker}: below the purge
 * horizon the seqs whose entries are gone enter the tree as the leaf hashes the store kept ({@link
 * LogChecker#acceptPurged}), so the chain runs across the holes (the first entry after a hole must name the purged
 * leaf in its {@code prev_hash}) and every checkpoint's root — signed before or after a purge — is recomputed from
 * purged leaves and retained entries together. A stored entry below the horizon must hash to the leaf kept for it;
 * every kept seq must be there. It also finds each purge's {@code audit_log.purged} record among the entries.
 *
 * <p>Entries are fed in seq order; a frame of a purged seq that is still on disk (compaction not done yet) is checked
 * against its kept leaf and otherwise ignored. Memory: one chunk of leaf hashes.
 */
public final class PurgedLogChecker {
  private static final int CHUNK = 4096;
  private static final byte[] RECORD = "\"action\":\"audit_log.purged\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final LogChecker checker;
  private final PurgedPrefix prefix;
  private final TreeHasher hasher = new TreeHasher();
  /** Record id → purge, for the purges whose record was not found yet. */
  private final Map<String, Purge> awaited = new HashMap<>();
  private final Map<Purge, Long> recordSeqs = new HashMap<>();

  public PurgedLogChecker(LogChecker checker, PurgedPrefix prefix) {
    this.checker = checker;
    this.prefix = prefix;
    for (Purge p : prefix.purges()) awaited.put(PurgedPrefix.recordId(checker.workspace(), p.toSeq()), p);
  }

  public LogChecker checker() {
    return checker;
  }

  public boolean failed() {
    return checker.failed();
  }

  /** Feeds the next stored entry (seq order). */
  public void accept(long seq, byte[] canonical) {
    if (checker.failed()) return;
    if (seq < prefix.horizon()) {
      Hash kept = Hash.of(prefix.leaves().read(seq, seq + 1));
      Hash leaf = hasher.leafHash(canonical);
      if (!kept.equals(leaf)) {
        checker.problem(seq, "entry seq " + seq + " hashes to " + leaf + " but the purge recorded its leaf hash as " + kept
            + " (the entry or the purged leaf hashes were altered)");
        return;
      }
      if (!prefix.stored(seq)) return; // purged, its frame not yet compacted away: the leaf is what counts
    }
    fillTo(Math.min(seq, prefix.horizon()));
    checker.accept(seq, canonical);
    if (!awaited.isEmpty() && contains(canonical, RECORD)) found(seq, canonical);
  }

  /** Ends the log: the purged leaves up to the horizon, then the checker's own end. */
  public Verdict finish(String endNote) {
    if (!checker.failed()) fillTo(prefix.horizon());
    return checker.finish(endNote);
  }

  /** Feeds the leaves of the purged seqs from the checker's next seq up to {@code target}, stopping at a kept seq. */
  private void fillTo(long target) {
    while (!checker.failed() && checker.expectedSeq() < target) {
      long from = checker.expectedSeq();
      int k = Arrays.binarySearch(prefix.kept(), from);
      if (k >= 0) return; // a kept seq comes next: the entry must (or LogChecker reports it missing)
      int nextKept = -k - 1;
      long to = Math.min(target, Math.min(from + CHUNK, nextKept < prefix.kept().length ? prefix.kept()[nextKept] : Long.MAX_VALUE));
      byte[] leaves = prefix.leaves().read(from, to);
      for (long s = from; s < to; s++) {
        int i = (int) (s - from) * Hash.SIZE;
        checker.acceptPurged(s, Hash.of(Arrays.copyOfRange(leaves, i, i + Hash.SIZE)));
      }
    }
  }

  private void found(long seq, byte[] canonical) {
    var json = org.trailbook.Json.MAPPER.readTree(canonical);
    Purge p = awaited.get(json.path("id").asString(""));
    if (p == null || !"audit_log".equals(json.path("category").asString(""))) return;
    awaited.remove(json.path("id").asString(""));
    var m = json.path("metadata");
    if (m.path("to_seq").asLong(-1) != p.toSeq() || m.path("removed").asLong(-1) != p.removed()
        || !p.lastLeaf().hex().equals(m.path("last_purged_hash").asString(""))) {
      checker.problem(seq, "the purge record at seq " + seq + " does not match the purge it names (up to seq " + p.toSeq() + ")");
      return;
    }
    recordSeqs.put(p, seq);
  }

  /**
   * What was purged and why, one plain line per purge ("entries 0..8999 purged (9000) on … by policy 30 days …; record
   * seq 10234"), and the problems with the records: a purge without its record is a problem unless it is the latest
   * (its purger appends it at its next pass) or a later purge may have removed the record.
   */
  public List<String> purgeLines() {
    List<String> out = new ArrayList<>();
    List<Purge> all = prefix.purges();
    for (int i = 0; i < all.size(); i++) {
      Purge p = all.get(i);
      Long record = recordSeqs.get(p);
      out.add(checker.workspace() + ": entries " + p.fromSeq() + ".." + (p.toSeq() - 1) + " purged (" + p.removed() + " removed) on "
          + Times.format(p.purgedAt()) + " by " + p.reason() + "; " + (record != null ? "record seq " + record
          : checker.failed() ? "its audit_log.purged record was not looked for (the check stopped at the failure)"
          : i == all.size() - 1 ? "its audit_log.purged record is not in the log yet (appended at the purger's next pass)"
          : "its audit_log.purged record is not in the log (a later purge may have removed it)"));
    }
    return out;
  }

  private static boolean contains(byte[] text, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= text.length; i++) {
      for (int j = 0; j < part.length; j++) if (text[i + j] != part[j]) continue outer;
      return true;
    }
    return false;
  }
}
