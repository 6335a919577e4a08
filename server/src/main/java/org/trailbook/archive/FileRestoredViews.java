package org.trailbook.archive;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.trailbook.AtomicFiles;
import org.trailbook.Json;
import org.trailbook.JsonFileFormat;
import org.trailbook.OwnerOnly;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Restored views in the node's data directory (the embedded store): {@code DIR/restored/<workspace>/<from>-<to>.entries.ndjson},
 * one canonical entry per line, and its description {@code <from>-<to>.json} (format {@code trailbook.restored}). A draft
 * is written to a {@code .part} file, fsynced and renamed into place; the description, written last, is what makes it a
 * view (and is removed first when one is dropped). Reads seek in each view's file to the first line after the page's
 * seq (a binary search, {@link SeqLines}) and read on in seq order (constant memory).
 */
public final class FileRestoredViews implements RestoredViews {
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.restored", 1);
  private static final String ENTRIES = ".entries.ndjson";
  private static final String META = ".json";

  private final Path root;

  public FileRestoredViews(Path root) {
    this.root = root;
  }

  @Override
  public Draft begin(String workspace, String archive) throws IOException {
    Path dir = OwnerOnly.directories(root.resolve(workspace));
    String base = base(archive);
    Path part = OwnerOnly.tempFile(dir, base, ".part");
    try {
      FileChannel ch = OwnerOnly.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      return new FileDraft(dir, base, part, ch, new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
  }

  private static final class FileDraft implements Draft {
    private final Path dir;
    private final String base;
    private final Path part;
    private final FileChannel channel;
    private final OutputStream out;

    FileDraft(Path dir, String base, Path part, FileChannel channel, OutputStream out) {
      this.dir = dir;
      this.base = base;
      this.part = part;
      this.channel = channel;
      this.out = out;
    }

    @Override
    public void add(long seq, byte[] canonical) throws IOException {
      out.write(canonical);
      out.write('\n');
    }

    @Override
    public void commit(View view) throws IOException {
      out.flush();
      channel.force(true);
      channel.close();
      Files.move(part, dir.resolve(base + ENTRIES), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.replace(dir.resolve(base + META), Json.MAPPER.writeValueAsBytes(FORMAT.stamp(view.toJson())));
    }

    @Override
    public void close() throws IOException {
      try {
        channel.close(); // unflushed bytes of an abandoned draft are dropped with it
      } finally {
        Files.deleteIfExists(part);
      }
    }
  }

  @Override
  public boolean drop(String workspace, String archive) throws IOException {
    Path dir = root.resolve(workspace);
    String base = base(archive);
    boolean had = Files.deleteIfExists(dir.resolve(base + META)); // first: without it the view is gone
    Files.deleteIfExists(dir.resolve(base + ENTRIES));
    return had;
  }

  @Override
  public List<View> views(String workspace) throws IOException {
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

  @Override
  public Page find(String workspace, Query query) throws IOException {
    List<ObjectNode> found = new ArrayList<>();
    for (View v : views(workspace)) {
      if (v.toSeq() <= query.afterSeq() + 1) continue;
      try (FileChannel file = FileChannel.open(root.resolve(workspace).resolve(base(v.archive()) + ENTRIES))) {
        file.position(SeqLines.firstAfter(file, query.afterSeq()));
        BufferedReader lines = new BufferedReader(Channels.newReader(file, StandardCharsets.UTF_8), 1 << 16);
        for (String line; (line = lines.readLine()) != null; ) {
          if (query.text() != null && !line.toLowerCase(Locale.ROOT).contains(query.text().toLowerCase(Locale.ROOT))) continue; // before parsing
          JsonNode entry = Json.MAPPER.readTree(line); // whole entries only: seqs purged before the archive have no line here
          long seq = entry.path("seq").asLong();
          if (seq <= query.afterSeq() || !query.matches(entry, line)) continue;
          if (found.size() == query.limit()) return new Page(found, found.getLast().get("seq").asLong());
          found.add(RestoredViews.marked(seq, v.archive(), line));
        }
      }
    }
    return new Page(found, -1);
  }

  /** The file name's stem: the archive's name without its suffix. */
  private static String base(String archive) {
    return archive.endsWith(ArchiveFormat.SUFFIX) ? archive.substring(0, archive.length() - ArchiveFormat.SUFFIX.length()) : archive;
  }
}
