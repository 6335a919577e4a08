package org.trailbook.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * R2's rows of the report, from what {@link RetentionSide} and {@link RetentionPeer} measured:
 * disk given back (data directory and journal; the peer's table after {@code VACUUM} and after
 * {@code VACUUM FULL}), sizes before and after, the purge rate, I2 without and during the purge, the
 * server's memory, and {@code verify --data} over the purged log.
 */
final class RetentionMeasures {
  static final double RATE_TARGET = 200_000;
  /** "In proportion": at least this share of the purged share of entries comes back as disk. */
  static final double PROPORTION = 0.9;
  /** "Flat" memory: the peak of the server's anonymous memory (heap and native, not mapped files) during the purges at most this times what it was before. */
  static final double FLAT = 1.1;
  private static final String STORE = BenchStore.Kind.FILE.wireName();

  private RetentionMeasures() {}

  /** {@code peer}: null when PostgreSQL could not run. */
  static List<Measure> of(RetentionSide.Figures t, RetentionPeer.Figures peer) {
    List<Measure> out = new ArrayList<>();
    Side none = Side.missing("PostgreSQL unavailable");
    double purgedShare = 100.0 * t.removed() / t.entries();
    double wanted = PROPORTION * purgedShare;
    String proportion = String.format(Locale.ROOT, ">= %.0f%% (%.0f%% of the %.1f%% purged)", wanted, PROPORTION * 100, purgedShare);
    double total = returned(t.before().total(), t.after().total());
    double journal = returned(t.before().journal(), t.after().journal());
    out.add(new Measure("R2", STORE, "disk returned by purging the oldest 90%", "%", "higher", Side.value(total),
        peer == null ? none : Side.value(returned(peer.bytesBefore(), peer.bytesAfterVacuum())), proportion, total >= wanted));
    out.add(new Measure("R2j", STORE, "journal bytes returned", "%", "higher", Side.value(journal), null, proportion, journal >= wanted));
    if (peer != null) {
      out.add(new Measure("R2f", STORE, String.format(Locale.ROOT, "returned by VACUUM FULL (table locked %.1f s)", peer.vacuumFullSeconds()), "%",
          "higher", null, Side.value(returned(peer.bytesBefore(), peer.bytesAfterFull())), null, null));
    }
    out.add(new Measure("R2b", STORE, "bytes on disk before the purge", "MB", "lower", Side.value(t.before().total() / 1e6),
        peer == null ? none : Side.value(peer.bytesBefore() / 1e6), null, null));
    out.add(new Measure("R2a", STORE, "bytes on disk after the purge", "MB", "lower", Side.value(t.after().total() / 1e6),
        peer == null ? none : Side.value(peer.bytesAfterVacuum() / 1e6), null, null));
    double rate = t.rate(false);
    Side peerRate = peer == null ? none : Side.value(peer.deleted() / peer.purgeSeconds());
    out.add(new Measure("R2r", STORE, "purge rate, quiet (peer: DELETE + VACUUM)", "events/s", "higher", Side.value(rate), peerRate,
        ">= 200,000", rate >= RATE_TARGET));
    double busy = t.rate(true);
    out.add(new Measure("R2rb", STORE, "purge rate while I2 runs", "events/s", "higher", Side.value(busy), peerRate, ">= 200,000", busy >= RATE_TARGET));
    PurgeBreakdown b = t.breakdown();
    if (b != null) {
      out.add(new Measure("R2ts", STORE, "purge time: horizon scan and store purge", "ms", "lower", Side.value(b.select() * 1000), null, null, null));
      out.add(new Measure("R2tc", STORE, String.format(Locale.ROOT, "purge time: waiting for the compaction (%d rewrites)", b.compactions()), "ms", "lower",
          Side.value(b.compact() * 1000), null, null, null));
      double cpu = b.purgeCpu() + b.compactCpu();
      if (cpu > 0) {
        out.add(new Measure("R2rc", STORE, "purge rate per CPU second of its threads (passes + compactor)", "events/s", "higher",
            Side.value(t.passes().stream().mapToLong(PurgePass::removed).sum() / cpu), null, null, null));
      }
      out.add(new Measure("R2tr", STORE, "purge time: appending the purge records", "ms", "lower", Side.value(b.record() * 1000), null, null, null));
    }
    double limit = 2 * t.alike().p(0.99);
    out.add(new Measure("R2l0", STORE, "I2 without a purge (as the I2 scenario)", "ms", "lower", t.without().side(), null, null, null));
    out.add(new Measure("R2ls", STORE, "I2 without a purge, shaped like the next", "ms", "lower", t.alike().side(), null, null, null));
    String twice = String.format(Locale.ROOT, "p99 <= 2x without (%.2f)", limit);
    out.add(new Measure("R2l", STORE, "I2 while the purges run", "ms", "lower", t.during().side(), null, twice,
        t.during().runs() > 0 && t.during().p(0.99) <= limit));
    out.add(new Measure("R2lm", STORE, "I2 while the index merges the purged documents away", "ms", "lower", t.merging().side(), null, twice,
        t.merging().runs() > 0 && t.merging().p(0.99) <= limit));
    RetentionSide.Memory m = t.memory();
    out.add(new Measure("R2m0", STORE, "server resident memory before the purge", "MB", "lower", Side.value(m.rssBefore() / 1e6), null, null, null));
    out.add(new Measure("R2m", STORE, "server resident memory, peak during the purge (with mapped index files)", "MB", "lower",
        Side.value(m.rssPeak() / 1e6), null, null, null));
    out.add(new Measure("R2ma0", STORE, "server heap and native memory before the purge", "MB", "lower", Side.value(m.anonBefore() / 1e6), null, null, null));
    double flat = FLAT * m.anonBefore();
    out.add(new Measure("R2ma", STORE, "server heap and native memory, peak during the purge", "MB", "lower", Side.value(m.anonPeak() / 1e6), null,
        String.format(Locale.ROOT, "flat: <= %.0f MB (+%.0f%%)", flat / 1e6, (FLAT - 1) * 100), m.anonPeak() <= flat));
    out.add(new Measure("R2v", STORE, "verify --data of the purged log (retained entries)", "events/s", "higher", t.verify(), null, null, null));
    return out;
  }

  /** The share of {@code before} given back, in percent. */
  static double returned(long before, long after) {
    return before == 0 ? 0 : 100.0 * (before - after) / before;
  }
}
