package org.trailbook.views;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trailbook.AtomicFiles;
import org.trailbook.Json;
import org.trailbook.JsonFileFormat;
import org.trailbook.TrailbookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Saved views in {@code DIR/views/views.json}, the embedded default. Small and rarely written, so every change rewrites
 * the file atomically (temp file, fsync, rename). Every operation is scoped to one workspace and
 * one owner: nobody sees or deletes another person's views. The file is {@code
 * {"format":"trailbook.views","version":1,"views":[...]}}; version 0 (the bare array) is upgraded by
 * rewriting it when it is opened.
 */
public final class FileViewStore implements ViewStore {
  private static final Logger log = LoggerFactory.getLogger(FileViewStore.class);
  /** The header of views.json; version 0 is the bare array of views. */
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.views", 1);
  private final Path file;
  private final Clock clock;
  private final Map<String, SavedView> views = new LinkedHashMap<>();

  private FileViewStore(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public static FileViewStore open(Path dir, Clock clock) {
    FileViewStore s = new FileViewStore(dir.resolve("views.json"), clock);
    try {
      org.trailbook.OwnerOnly.directories(dir);
      if (Files.exists(s.file)) {
        JsonFileFormat.Read read = FORMAT.read(s.file, Files.readAllBytes(s.file));
        // version 0 was the bare array; version 1 keeps it under "views", beside the header
        JsonNode array = read.version() == 0 ? read.body() : read.body().get("views");
        if (array == null || !array.isArray()) throw new TrailbookException(s.file + " holds no \"views\" array");
        List<SavedView> list = Json.MAPPER.convertValue(array, new TypeReference<List<SavedView>>() {});
        for (SavedView v : list) s.views.put(v.id(), v);
        if (read.version() < FORMAT.current()) {
          s.save();
          log.info("upgraded {} from format version {} to {}", s.file, read.version(), FORMAT.current());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + s.file, e);
    }
    return s;
  }

  public synchronized List<SavedView> list(String workspace, String owner) {
    return views.values().stream().filter(v -> v.workspace().equals(workspace) && v.owner().equals(owner)).toList();
  }

  @Override
  public synchronized SavedView create(String workspace, String owner, String name, String query) {
    String n = ViewStore.validate(name, query);
    List<SavedView> mine = list(workspace, owner);
    if (mine.size() >= MAX_PER_OWNER) throw ViewStore.tooMany();
    if (mine.stream().anyMatch(v -> v.name().equals(n))) throw ViewStore.nameTaken(n);
    SavedView v = ViewStore.newView(workspace, owner, n, query, clock);
    views.put(v.id(), v);
    save();
    return v;
  }

  @Override
  public synchronized void delete(String workspace, String owner, String id) {
    SavedView v = views.get(id);
    if (v == null || !v.workspace().equals(workspace) || !v.owner().equals(owner)) throw ViewStore.notFound(id);
    views.remove(id);
    save();
  }

  private void save() {
    try {
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.set("views", Json.MAPPER.valueToTree(List.copyOf(views.values())));
      AtomicFiles.replace(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(FORMAT.stamp(body)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

}
