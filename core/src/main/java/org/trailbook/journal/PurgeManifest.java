package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.trailbook.AtomicFiles;
import org.trailbook.Json;
import org.trailbook.JsonFileFormat;
import org.trailbook.merkle.Hash;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable purge state of a journal, {@code purges.json} in the journal directory: per workspace
 * the horizon, the seqs kept below it and every {@link Purge} record. Rewriting it (one atomic replace,
 * file and directory fsync'd: {@link AtomicFiles#replace}) is the commit point of a purge; the leaf
 * hashes it relies on ({@link PurgedLeaves}) are durable before it.
 *
 * <pre>
 * {"format":"trailbook.purges","version":1,
 *  "workspaces":{"ws-a":{"horizon":8,"kept":[4],
 *    "purges":[{"fromSeq":0,"toSeq":8,"removed":7,"lastLeaf":"hex","purgedAt":"2026-12-07T14:00:00Z","reason":"…"}]}}}
 * </pre>
 */
public final class PurgeManifest {
  static final String FILE_NAME = "purges.json";
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.purges", 1);

  private PurgeManifest() {}

  /** The committed state in {@code journalDir} by workspace; empty when nothing was ever purged. */
  public static Map<String, PurgeHorizon> read(Path journalDir) {
    Path file = journalDir.resolve(FILE_NAME);
    Map<String, PurgeHorizon> out = new TreeMap<>();
    if (!Files.exists(file)) return out;
    try {
      JsonNode body = FORMAT.read(file, Files.readAllBytes(file)).body();
      for (var ws : body.get("workspaces").properties()) {
        JsonNode w = ws.getValue();
        JsonNode keptNode = w.get("kept");
        long[] kept = new long[keptNode.size()];
        for (int i = 0; i < kept.length; i++) kept[i] = keptNode.get(i).asLong();
        List<Purge> purges = new ArrayList<>();
        for (JsonNode p : w.get("purges")) {
          purges.add(new Purge(ws.getKey(), p.get("fromSeq").asLong(), p.get("toSeq").asLong(), p.get("removed").asLong(),
              Hash.fromHex(p.get("lastLeaf").asString()), Instant.parse(p.get("purgedAt").asString()), p.get("reason").isNull() ? null : p.get("reason").asString()));
        }
        out.put(ws.getKey(), new PurgeHorizon(w.get("horizon").asLong(), kept, List.copyOf(purges)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      if (e instanceof org.trailbook.TrailbookException) throw e;
      throw new JournalCorruptedException("the purge state " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** The horizons of every workspace, as {@link PurgedLeaves} needs them to cut what a crashed purge left. */
  public static Map<String, Long> horizons(Path journalDir) {
    Map<String, Long> out = new TreeMap<>();
    read(journalDir).forEach((ws, h) -> out.put(ws, h.horizon()));
    return out;
  }

  /** Every purge of every workspace in {@code journalDir}, for offline tools (verify). */
  public static Map<String, List<Purge>> purges(Path journalDir) {
    Map<String, List<Purge>> out = new TreeMap<>();
    read(journalDir).forEach((ws, h) -> out.put(ws, h.purges()));
    return out;
  }

  /** Commits {@code state} (every workspace that was ever purged): the commit point of a purge. */
  static void write(Path journalDir, Map<String, PurgeHorizon> state) throws IOException {
    ObjectNode workspaces = Json.MAPPER.createObjectNode();
    new TreeMap<>(state).forEach((ws, h) -> {
      ObjectNode w = workspaces.putObject(ws);
      w.put("horizon", h.horizon());
      ArrayNode kept = w.putArray("kept");
      for (long k : h.kept()) kept.add(k);
      ArrayNode purges = w.putArray("purges");
      for (Purge p : h.purges()) {
        purges.addObject().put("fromSeq", p.fromSeq()).put("toSeq", p.toSeq()).put("removed", p.removed())
            .put("lastLeaf", p.lastLeaf().hex()).put("purgedAt", p.purgedAt().toString()).put("reason", p.reason());
      }
    });
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("workspaces", workspaces);
    AtomicFiles.replace(journalDir.resolve(FILE_NAME), Json.MAPPER.writeValueAsBytes(FORMAT.stamp(body)));
  }
}
