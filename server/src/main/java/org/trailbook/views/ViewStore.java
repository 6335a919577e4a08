package org.trailbook.views;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.trailbook.ConflictException;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/**
 * Saved views, kept per workspace and owner: nobody sees or deletes another person's views. The
 * file store ({@link FileViewStore}) is the embedded default; {@code PostgresViewStore} shares them
 * between nodes. The limits hold per store, so across every node sharing one.
 */
public interface ViewStore {
  int MAX_PER_OWNER = 50;
  int MAX_QUERY_CHARS = 2000;

  /** The owner's views in {@code workspace}, in the order they were created. */
  List<SavedView> list(String workspace, String owner);

  /** Creates a view: 400 for a bad name or query or past {@link #MAX_PER_OWNER}, 409 for a name the owner already uses. */
  SavedView create(String workspace, String owner, String name, String query);

  /** Deletes one of the owner's views; 404 if there is none with this id of theirs. */
  void delete(String workspace, String owner, String id);

  /** The file store in {@code dir} (the embedded default). */
  static ViewStore open(Path dir, Clock clock) {
    return FileViewStore.open(dir, clock);
  }

  /** Checks a new view's name and query; answers the name stripped. */
  static String validate(String name, String query) {
    List<Problem> problems = new ArrayList<>();
    String n = name == null ? null : name.strip();
    if (n == null || n.isEmpty() || n.length() > 100) problems.add(Problem.of("name", "is required, 1 to 100 characters"));
    if (query == null) problems.add(Problem.of("query", "is required (the page's query string; may be empty)"));
    else if (query.length() > MAX_QUERY_CHARS) problems.add(Problem.of("query", "must be at most " + MAX_QUERY_CHARS + " characters"));
    else if (query.startsWith("?") || query.contains("#")) problems.add(Problem.of("query", "must be a query string without '?' or '#'"));
    if (!problems.isEmpty()) throw new InvalidInputException("invalid_view", "the saved view is invalid", problems);
    return n;
  }

  static InvalidInputException tooMany() {
    return new InvalidInputException("invalid_view", "too many saved views",
        List.of(Problem.of("name", "at most " + MAX_PER_OWNER + " saved views per person; delete one first")));
  }

  static ConflictException nameTaken(String name) {
    return new ConflictException("a saved view named '" + name + "' already exists");
  }

  static org.trailbook.NotFoundException notFound(String id) {
    return new org.trailbook.NotFoundException("no saved view '" + id + "' of yours");
  }

  /** A new view with a random id, created now. */
  static SavedView newView(String workspace, String owner, String name, String query, Clock clock) {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return new SavedView("view_" + HexFormat.of().formatHex(b), workspace, owner, name, query,
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
  }
}
