package org.trailbook.views;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trailbook.ConflictException;
import org.trailbook.InvalidInputException;
import org.trailbook.AtomicFiles;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.Problem;
import org.trailbook.JsonFileFormat;
import org.trailbook.TrailbookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Saved views in {@code DIR/views/views.json}. Small and rarely written, so every change rewrites
 * the file atomically (temp file, fsync, rename). Every operation is scoped to one workspace and
 * one owner: nobody sees or deletes another person's views. The file is {@code
 * {"format":"trailbook.views","version":1,"views":[...]}}; version 0 (the bare array) is upgraded by
 * rewriting it when it is opened.
 */
public final class ViewStore {
  private static final Logger log = LoggerFactory.getLogger(ViewStore.class);
  /** The header of views.json; version 0 is the bare array of views. */
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.views", 1);
  public static final int MAX_PER_OWNER = 50;
  public static final int MAX_QUERY_CHARS = 2000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path file;
  private final Clock clock;
  private final Map<String, SavedView> views = new LinkedHashMap<>();

  private ViewStore(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public static ViewStore open(Path dir, Clock clock) {
    ViewStore s = new ViewStore(dir.resolve("views.json"), clock);
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

  public synchronized SavedView create(String workspace, String owner, String name, String query) {
    List<Problem> problems = new ArrayList<>();
    String n = name == null ? null : name.strip();
    if (n == null || n.isEmpty() || n.length() > 100) problems.add(Problem.of("name", "is required, 1 to 100 characters"));
    if (query == null) problems.add(Problem.of("query", "is required (the page's query string; may be empty)"));
    else if (query.length() > MAX_QUERY_CHARS) problems.add(Problem.of("query", "must be at most " + MAX_QUERY_CHARS + " characters"));
    else if (query.startsWith("?") || query.contains("#")) problems.add(Problem.of("query", "must be a query string without '?' or '#'"));
    if (!problems.isEmpty()) throw new InvalidInputException("invalid_view", "the saved view is invalid", problems);
    List<SavedView> mine = list(workspace, owner);
    if (mine.size() >= MAX_PER_OWNER) {
      throw new InvalidInputException("invalid_view", "too many saved views", List.of(Problem.of("name", "at most " + MAX_PER_OWNER + " saved views per person; delete one first")));
    }
    if (mine.stream().anyMatch(v -> v.name().equals(n))) throw new ConflictException("a saved view named '" + n + "' already exists");
    SavedView v = new SavedView("view_" + HexFormat.of().formatHex(randomBytes()), workspace, owner, n, query,
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    views.put(v.id(), v);
    save();
    return v;
  }

  public synchronized void delete(String workspace, String owner, String id) {
    SavedView v = views.get(id);
    if (v == null || !v.workspace().equals(workspace) || !v.owner().equals(owner)) throw new NotFoundException("no saved view '" + id + "' of yours");
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

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }
}
