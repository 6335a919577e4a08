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
import tools.jackson.core.type.TypeReference;

/**
 * Saved views in {@code DIR/views/views.json}. Small and rarely written, so every change rewrites
 * the file atomically (temp file, fsync, rename). Every operation is scoped to one workspace and
 * one owner: nobody sees or deletes another person's views.
 */
public final class ViewStore {
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
        List<SavedView> list = Json.MAPPER.readValue(Files.readAllBytes(s.file), new TypeReference<List<SavedView>>() {});
        for (SavedView v : list) s.views.put(v.id(), v);
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
      AtomicFiles.replace(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(List.copyOf(views.values())));
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
