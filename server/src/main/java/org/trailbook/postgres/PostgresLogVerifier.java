package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.trailbook.Json;
import org.trailbook.TrailbookException;
import org.trailbook.canonical.Jcs;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.verify.DataDirectoryVerifier;
import org.trailbook.verify.Failure;
import org.trailbook.verify.LogChecker;
import org.trailbook.verify.PurgedLogChecker;
import org.trailbook.verify.PurgedPrefix;
import org.trailbook.verify.Verdict;

/**
 * {@code trailbook verify --store}: checks every workspace log of a PostgreSQL store the way {@code --data} checks
 * files, read-only (one repeatable-read snapshot, no migration): each workspace's entries stream in seq order through
 * a {@link LogChecker} (seqs, workspace, the prev_hash chain, the tree root, and stored checkpoints), and besides each
 * entry must be in canonical form (RFC 8785) and match the leaf hash stored with it, and the log must end where its
 * head row says, with the head's last leaf hash.
 *
 * <p>A purged log (docs/adr/0004) is checked through a {@link PurgedLogChecker} with its purge state from the same
 * snapshot ({@link PostgresLogVerifierPurges}): its holes are filled with the purged leaf hashes, so the chain runs
 * across them (the first entry after a hole names the purged leaf in its {@code prev_hash}) and every checkpoint's root
 * is recomputed, whether it was signed before or after a purge; each purge is reported in the notes (range, count,
 * reason, its record in the log).
 */
public final class PostgresLogVerifier {
  /**
   * Where a workspace's stored checkpoints come from, in ascending size, then null: {@link
   * PostgresLogVerifierCheckpoints}, the table {@link PostgresCheckpoints} writes, read in the verifier's snapshot.
   */
  @FunctionalInterface
  public interface Checkpoints {
    Supplier<CheckpointReader.Stored> of(String workspace);
  }

  private record Head(long size, Hash lastLeaf, long purgedBefore) {}

  /** One workspace under check: the shared checker (across purged holes) plus the checks only a database row allows. */
  private static final class Check {
    final PurgedLogChecker purged;
    final PurgedPrefix prefix;
    final LogChecker checker;
    Failure extra; // the first failure found by the row checks, if any

    Check(LogChecker checker, PurgedPrefix prefix) {
      this.purged = new PurgedLogChecker(checker, prefix);
      this.prefix = prefix;
      this.checker = checker;
    }

    void fail(long seq, String message) {
      if (extra == null) extra = new Failure(seq, -1, message);
    }
  }

  private static final int FETCH = 1_000;

  private PostgresLogVerifier() {}

  /**
   * Verifies the logs of the store at {@code url} ({@code onlyWorkspace} alone if not null), every stored checkpoint
   * included: its signature with {@code verifier}, or if that is null with the verifier key the store recorded
   * ({@code server_secrets} "log.verifier", written by the first node that started on it), and its root at its size.
   *
   * @throws TrailbookException if the store holds checkpoints but no verifier key was given or recorded
   */
  public static DataDirectoryVerifier.Report verify(StoreUrl url, NoteVerifier verifier, String onlyWorkspace) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().orElse(null))) {
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // heads, entries and checkpoints from one snapshot
      c.setAutoCommit(false); // lets the driver stream the entries with a cursor
      try (PostgresLogVerifierCheckpoints checkpoints = new PostgresLogVerifierCheckpoints(c)) {
        return verify(c, url, verifier, onlyWorkspace, checkpoints);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new JournalUnavailableException("cannot read the store " + url + ": " + e.getMessage(), e);
    }
  }

  private static DataDirectoryVerifier.Report verify(Connection c, StoreUrl url, NoteVerifier given, String onlyWorkspace,
      PostgresLogVerifierCheckpoints checkpoints) throws SQLException {
    List<String> notes = new ArrayList<>();
    List<String> checkpointed = checkpoints.workspaces(onlyWorkspace);
    NoteVerifier verifier = given;
    if (verifier == null) {
      Optional<String> stored = PostgresLogVerifierCheckpoints.storedVerifierKey(c);
      if (stored.isPresent()) {
        verifier = NoteVerifier.parse(stored.get());
        notes.add("checkpoints are checked with the verifier key the store recorded: " + stored.get());
      } else if (checkpointed.isEmpty()) {
        verifier = LogKey.generate("trailbook").verifier(); // never asked to verify: there is no checkpoint
        notes.add("the store has no checkpoints and no recorded verifier key: entries, chains and roots are checked");
      } else {
        throw new TrailbookException("the store " + url + " holds checkpoints but no recorded verifier key (server_secrets 'log.verifier'):"
            + " give the log's verifier key with --key");
      }
    }
    NoteVerifier v = verifier;
    Map<String, Head> heads = heads(c, onlyWorkspace);
    Map<String, Check> checks = new TreeMap<>();
    PostgresLogVerifierPurges purges = new PostgresLogVerifierPurges(c);
    TreeHasher hasher = new TreeHasher();
    try (PreparedStatement s = c.prepareStatement("SELECT workspace, seq, canonical, leaf_hash FROM entries"
        + (onlyWorkspace == null ? "" : " WHERE workspace = ?") + " ORDER BY workspace, seq")) {
      if (onlyWorkspace != null) s.setString(1, onlyWorkspace);
      s.setFetchSize(FETCH);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String ws = rs.getString(1);
          Check check = check(checks, ws, v, checkpoints, purges, heads);
          long seq = rs.getLong(2);
          byte[] canonical = rs.getBytes(3);
          checkRow(check, seq, canonical, Hash.of(rs.getBytes(4)), hasher);
          check.purged.accept(seq, canonical);
        }
      }
    }
    List<Verdict> verdicts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    // a workspace with a head row or checkpoints but no entries is checked too: its entries are missing
    for (String ws : heads.keySet()) check(checks, ws, v, checkpoints, purges, heads);
    for (String ws : checkpointed) check(checks, ws, v, checkpoints, purges, heads);
    for (Check check : checks.values()) {
      verdicts.add(finish(check, heads.get(check.checker.workspace())));
      notes.addAll(check.purged.purgeLines());
    }
    if (onlyWorkspace != null && verdicts.isEmpty()) problems.add("workspace '" + onlyWorkspace + "' has no entries in this store");
    return new DataDirectoryVerifier.Report(verdicts, problems, notes);
  }

  /** The workspace's check, made at its first row: a checker over its stored checkpoints and its purge state. */
  private static Check check(Map<String, Check> checks, String ws, NoteVerifier v, PostgresLogVerifierCheckpoints checkpoints,
      PostgresLogVerifierPurges purges, Map<String, Head> heads) throws SQLException {
    Check check = checks.get(ws);
    if (check == null) {
      LogChecker checker = new LogChecker(ws, v, checkpoints.of(ws));
      Head head = heads.get(ws);
      check = new Check(checker, purges.of(checker, head == null ? 0 : head.purgedBefore()));
      checks.put(ws, check);
    }
    return check;
  }

  /** The log's verifier key the store recorded ({@code server_secrets} "log.verifier"), if a node has started on it. */
  public static Optional<String> recordedVerifierKey(javax.sql.DataSource db) {
    try (Connection c = db.getConnection()) {
      return PostgresLogVerifierCheckpoints.storedVerifierKey(c);
    } catch (SQLException e) {
      throw new JournalUnavailableException("cannot read the store's recorded verifier key: " + e.getMessage(), e);
    }
  }

  private static Map<String, Head> heads(Connection c, String onlyWorkspace) throws SQLException {
    Map<String, Head> heads = new TreeMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT workspace, size, last_leaf_hash, purged_before FROM workspace_heads WHERE size > 0"
        + (onlyWorkspace == null ? "" : " AND workspace = ?"))) {
      if (onlyWorkspace != null) s.setString(1, onlyWorkspace);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) heads.put(rs.getString(1), new Head(rs.getLong(2), Hash.of(rs.getBytes(3)), rs.getLong(4)));
      }
    }
    return heads;
  }

  /** The checks of one row that the log checker cannot make: canonical form, and the leaf hash stored beside it. */
  private static void checkRow(Check check, long seq, byte[] canonical, Hash storedLeaf, TreeHasher hasher) {
    if (check.extra != null || check.checker.failed()) return;
    if (!check.prefix.stored(seq)) {
      check.fail(seq, "entry seq " + seq + " is below the purge horizon " + check.prefix.horizon() + " but its id is not in entry_ids, as a kept "
          + "entry's is: the store was altered");
      return;
    }
    try {
      if (!Arrays.equals(Jcs.canonicalize(Json.MAPPER.readTree(canonical)), canonical)) {
        check.fail(seq, "entry seq " + seq + " was altered: its bytes are not in canonical form (RFC 8785)");
        return;
      }
    } catch (RuntimeException notJson) {
      return; // the log checker names an entry that is not a valid log entry
    }
    if (!hasher.leafHash(canonical).equals(storedLeaf)) {
      check.fail(seq, "entry seq " + seq + " was altered: its bytes no longer match the leaf hash stored with them");
    }
  }

  /** The checker's verdict, or the failure the row and head checks found at an earlier seq or the same one (they say more). */
  private static Verdict finish(Check check, Head head) {
    Verdict v = check.purged.finish(null);
    String ws = check.checker.workspace();
    long stored = check.checker.expectedSeq();
    if (v.ok() && check.extra == null) {
      if (head == null) {
        check.fail(stored, "the log has " + stored + " entries but no head row (workspace_heads): the store was altered");
      } else if (head.size() != stored) {
        check.fail(stored, "the head row says " + head.size() + " entries but " + stored + " are stored: "
            + (head.size() > stored ? "entries from seq " + stored + " on are missing" : "entries beyond the head were added"));
      } else if (!head.lastLeaf().equals(check.checker.lastLeafHash())) {
        check.fail(stored - 1, "entry seq " + (stored - 1) + " (the last) was altered: its hash no longer matches the last leaf hash in "
            + "the head row of workspace '" + ws + "'");
      }
    }
    Failure extra = check.extra;
    if (extra == null || (!v.ok() && v.failure().seq() >= 0 && v.failure().seq() < extra.seq())) return v;
    return new Verdict(ws, v.entriesChecked(), v.treeSize(), v.rootHash(), v.checkpointsVerified(), extra);
  }
}
