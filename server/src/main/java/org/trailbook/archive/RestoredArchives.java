package org.trailbook.archive;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.trailbook.AtomicFiles;
import org.trailbook.Json;
import org.trailbook.JsonFileFormat;
import org.trailbook.OwnerOnly;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.verify.ArchiveVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Restored views: an archive brought back from the target as a read-only, searchable view of its workspace, beside
 * the live log and never part of it. A restore reads the archive from the target and verifies it with the log's key
 * in the same pass that copies its entries to {@code DIR/restored/<workspace>/<from>-<to>.entries.ndjson}; only if
 * it verifies is the file renamed into place and its description ({@code .json}, format {@code trailbook.restored})
 * written, which is what makes it a restored view. Reads scan the views in seq order a page at a time; every entry
 * they return is marked as restored, with the archive it came from.
 */
public final class RestoredArchives {
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.restored", 1);
  private static final String ENTRIES = ".entries.ndjson";
  private static final String META = ".json";

  /** A restored view: the archive it came from and what it holds ({@code count} whole entries; seqs purged before it had none). */
  public record View(String workspace, String archive, String location, long fromSeq, long toSeq, long count, long treeSize, String restoredAt) {
    ObjectNode toJson() {
      return Json.MAPPER.createObjectNode().put("workspace", workspace).put("archive", archive).put("location", location).put("from_seq", fromSeq)
          .put("to_seq", toSeq).put("count", count).put("tree_size", treeSize).put("restored_at", restoredAt);
    }

    static View of(JsonNode o) {
      return new View(o.path("workspace").asString(), o.path("archive").asString(), o.path("location").asString(), o.path("from_seq").asLong(),
          o.path("to_seq").asLong(), o.path("count").asLong(), o.path("tree_size").asLong(), o.path("restored_at").asString());
    }
  }

  /** What to find in the restored views: each filter null for any; entries after {@code afterSeq}, at most {@code limit}. */
  public record Query(String action, String actor, String text, long afterSeq, int limit) {
    public Query {
      if (limit < 1 || limit > 1000) throw new org.trailbook.InvalidInputException("invalid_limit", "limit must be from 1 to 1000, not " + limit);
    }

    boolean matches(JsonNode entry, String line) {
      if (action != null && !action.equals(entry.path("action").asString(null))) return false;
      if (actor != null && !actor.equals(entry.path("actor").path("id").asString(null))) return false;
      return text == null || line.toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * One page: the entries found, each {@code {"seq","restored":true,"archive","entry":{…}}} with the entry's canonical
   * bytes exactly as archived (so its leaf hash can be recomputed), and where the next page starts (-1: none).
   */
  public record Page(List<ObjectNode> entries, long nextAfterSeq) {}

  private final Path root;
  private final ArchiveTarget target;
  private final NoteVerifier key;
  private final Clock clock;

  public RestoredArchives(Path root, ArchiveTarget target, NoteVerifier key, Clock clock) {
    this.root = root;
    this.target = target;
    this.key = key;
    this.clock = clock;
  }

  /**
   * Restores the archive {@code name} of {@code workspace} from the target, replacing a view of it restored before.
   *
   * @throws java.nio.file.NoSuchFileException if the target has no such archive
   * @throws ArchiveException if it does not verify (nothing is kept) or is not of this workspace
   */
  public synchronized View restore(String workspace, String name) throws IOException {
    ArchiveTarget.checkSegment("workspace", workspace);
    ArchiveTarget.checkSegment("archive name", name);
    if (!name.endsWith(ArchiveFormat.SUFFIX)) throw new IllegalArgumentException("archive name '" + name + "' does not end in " + ArchiveFormat.SUFFIX);
    Path dir = OwnerOnly.directories(root.resolve(workspace));
    String base = name.substring(0, name.length() - ArchiveFormat.SUFFIX.length());
    Path part = OwnerOnly.tempFile(dir, base, ".part");
    try {
      ArchiveVerifier.Result result;
      try (InputStream in = target.open(workspace, name);
          FileChannel ch = OwnerOnly.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
        result = ArchiveVerifier.verify(in, key, (seq, canonical) -> {
          out.write(canonical);
          out.write('\n');
        });
        out.flush();
        ch.force(true);
      }
      if (!result.ok()) throw new ArchiveException("the archive " + name + " of " + workspace + " does not verify, nothing was restored: " + result.failure());
      if (!workspace.equals(result.workspace())) {
        throw new ArchiveException("the archive " + name + " holds workspace '" + result.workspace() + "', not '" + workspace + "'");
      }
      Files.move(part, dir.resolve(base + ENTRIES), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      View view = new View(workspace, name, locationOf(workspace, name),
          result.fromSeq(), result.toSeq(), result.entriesChecked(), result.treeSize(), clock.instant().toString());
      AtomicFiles.replace(dir.resolve(base + META), Json.MAPPER.writeValueAsBytes(FORMAT.stamp(view.toJson())));
      return view;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Drops a restored view (the archive on the target stays); false if there was none. */
  public synchronized boolean drop(String workspace, String name) throws IOException {
    ArchiveTarget.checkSegment("workspace", workspace);
    ArchiveTarget.checkSegment("archive name", name);
    String base = name.endsWith(ArchiveFormat.SUFFIX) ? name.substring(0, name.length() - ArchiveFormat.SUFFIX.length()) : name;
    Path dir = root.resolve(workspace);
    boolean had = Files.deleteIfExists(dir.resolve(base + META)); // first: without it the view is gone
    Files.deleteIfExists(dir.resolve(base + ENTRIES));
    return had;
  }

  /** The workspace's restored views, in seq order. */
  public List<View> views(String workspace) throws IOException {
    ArchiveTarget.checkSegment("workspace", workspace);
    Path dir = root.resolve(workspace);
    if (!Files.isDirectory(dir)) return List.of();
    List<View> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(META)).sorted().toList()) {
        out.add(View.of(FORMAT.read(p, Files.readAllBytes(p)).body()));
      }
    }
    return out;
  }

  /** Finds entries in the workspace's restored views, in seq order, scanning them line by line (constant memory). */
  public Page search(String workspace, Query query) throws IOException {
    List<ObjectNode> found = new ArrayList<>();
    for (View v : views(workspace)) {
      if (v.toSeq() <= query.afterSeq() + 1) continue;
      Path entries = root.resolve(workspace).resolve(v.archive().substring(0, v.archive().length() - ArchiveFormat.SUFFIX.length()) + ENTRIES);
      try (BufferedReader lines = Files.newBufferedReader(entries, StandardCharsets.UTF_8)) {
        for (String line; (line = lines.readLine()) != null; ) {
          JsonNode entry = Json.MAPPER.readTree(line); // whole entries only: seqs purged before the archive have no line here
          long seq = entry.path("seq").asLong();
          if (seq <= query.afterSeq()) continue;
          if (!query.matches(entry, line)) continue;
          if (found.size() == query.limit()) return new Page(found, found.getLast().get("seq").asLong());
          ObjectNode marked = Json.MAPPER.createObjectNode().put("seq", seq).put("restored", true).put("archive", v.archive());
          marked.putRawValue("entry", new tools.jackson.databind.util.RawValue(line)); // the canonical bytes as archived, not re-encoded
          found.add(marked);
        }
      }
    }
    return new Page(found, -1);
  }

  private String locationOf(String workspace, String name) throws IOException {
    for (ArchiveTarget.Stored s : target.list(workspace)) if (s.name().equals(name)) return s.location();
    return target.describe() + workspace + "/" + name;
  }
}
