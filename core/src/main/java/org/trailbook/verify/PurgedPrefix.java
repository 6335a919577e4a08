package org.trailbook.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.trailbook.FileFormat;
import org.trailbook.JsonFileFormat;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.Purge;
import org.trailbook.journal.PurgeManifest;
import org.trailbook.merkle.Hash;
import tools.jackson.databind.JsonNode;

/**
 * What a verifier needs to check a purged workspace log (docs/adr/0004): the purge horizon, the seqs kept below it,
 * every {@link Purge}, and the leaf hash of every seq below the horizon, which the store keeps so the tree — and so
 * every checkpoint, signed before or after a purge — can still be recomputed. Read from a live store ({@link #of}) or
 * straight from a data directory's files, read-only ({@link #read}).
 */
public record PurgedPrefix(long horizon, long[] kept, List<Purge> purges, Leaves leaves) {
  /** The empty prefix of a log that was never purged. */
  public static final PurgedPrefix NONE = new PurgedPrefix(0, new long[0], List.of(), (from, to) -> new byte[0]);

  /** The leaf hashes of seqs {@code [from, to)} below the horizon, 32 bytes each. */
  @FunctionalInterface
  public interface Leaves {
    byte[] read(long from, long to);
  }

  /** Whether the entry at {@code seq} is still stored (a kept seq, or one at or above the horizon). */
  public boolean stored(long seq) {
    return seq >= horizon || Arrays.binarySearch(kept, seq) >= 0;
  }

  /** The action of a purge record, as its canonical bytes spell it. */
  private static final byte[] RECORD_ACTION = "\"action\":\"audit_log.purged\"".getBytes(StandardCharsets.UTF_8);

  /**
   * Whether these canonical bytes may be a purge record ({@code "action":"audit_log.purged"} occurs in them): a cheap
   * test before parsing, since almost no entry is one. A match still has to be parsed and checked.
   */
  public static boolean mayBeRecord(byte[] canonical) {
    outer:
    for (int i = 0; i + RECORD_ACTION.length <= canonical.length; i++) {
      for (int j = 0; j < RECORD_ACTION.length; j++) if (canonical[i + j] != RECORD_ACTION[j]) continue outer;
      return true;
    }
    return false;
  }

  /**
   * The id of the {@code audit_log.purged} record of the workspace's {@code ordinal}-th purge (0 for the first, in the
   * order {@code EventStore.purges} lists them), which moved the horizon to {@code toSeq}: the same on every node and
   * every try, and different for two purges to the same horizon (the second removing only aged access-trail entries).
   * Ids are per workspace, so the workspace is not part of it.
   */
  public static String recordId(String workspace, int ordinal, long toSeq) {
    // in the prefix clients may not use (EventNormalizer.RESERVED_ID_PREFIX): no one can take a record's id before it
    return "trailbook:purge:" + ordinal + ":" + toSeq;
  }



  /** The workspace's purged prefix as a live store reports it ({@code kept} read from the store: its kept entries). */
  public static PurgedPrefix of(EventStore store, String workspace) {
    long horizon = store.purgedBefore(workspace);
    if (horizon == 0) return NONE;
    long[] kept = new long[16];
    int n = 0;
    for (long at = 0; at < horizon; at += 65_536) {
      for (var e : store.read(workspace, at, Math.min(horizon, at + 65_536))) {
        if (n == kept.length) kept = Arrays.copyOf(kept, n * 2);
        kept[n++] = e.seq();
      }
    }
    return new PurgedPrefix(horizon, Arrays.copyOf(kept, n), store.purges(workspace), (from, to) -> store.purgedLeaves(workspace, from, to));
  }

  /**
   * Every purged workspace of an embedded journal directory, from its files ({@code purges.json} and {@code
   * purged-leaves/<workspace>.leaves}, see docs/adr/0004), without opening the journal.
   */
  public static Map<String, PurgedPrefix> read(Path journalDir) {
    Map<String, PurgedPrefix> out = new TreeMap<>();
    Path file = journalDir.resolve("purges.json");
    if (!Files.exists(file)) return out;
    Map<String, List<Purge>> purges = PurgeManifest.purges(journalDir);
    JsonNode body;
    try {
      body = new JsonFileFormat("trailbook.purges", 1).read(file, Files.readAllBytes(file)).body();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (var ws : body.path("workspaces").properties()) {
      JsonNode k = ws.getValue().path("kept");
      long[] kept = new long[k.size()];
      for (int i = 0; i < kept.length; i++) kept[i] = k.get(i).asLong();
      long horizon = ws.getValue().path("horizon").asLong();
      Path leaves = journalDir.resolve("purged-leaves").resolve(ws.getKey() + ".leaves");
      out.put(ws.getKey(), new PurgedPrefix(horizon, kept, purges.getOrDefault(ws.getKey(), List.of()), (from, to) -> readLeaves(leaves, horizon, from, to)));
    }
    return out;
  }

  private static byte[] readLeaves(Path file, long horizon, long from, long to) {
    if (from < 0 || to > horizon || from > to) throw new IllegalArgumentException("leaves [" + from + ", " + to + ") are not below the horizon " + horizon);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      FileFormat format = new FileFormat("trailbook.leaves", 1);
      int header = switch (format.probe(file, ch)) {
        case FileFormat.Headed h -> h.length();
        case FileFormat.Headerless h -> throw new IllegalStateException(file + " has no trailbook.leaves header");
        case FileFormat.Damaged d -> throw new IllegalStateException(file + ": " + d.problem());
      };
      if (ch.size() < header + horizon * Hash.SIZE) {
        throw new IllegalStateException(file + " holds fewer leaf hashes than the purge horizon " + horizon);
      }
      ByteBuffer b = ByteBuffer.allocate(Math.toIntExact((to - from) * Hash.SIZE));
      long at = header + from * Hash.SIZE;
      while (b.hasRemaining()) {
        int n = ch.read(b, at + b.position());
        if (n < 0) throw new IllegalStateException(file + " ends early");
      }
      return b.array();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
