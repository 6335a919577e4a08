package org.trailbook.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.journal.JournalReader;

/**
 * Checks every workspace log of a data directory straight from its files, read-only, so it works
 * while the server is stopped: the journal segments ({@code DIR/journal/}) are streamed once in file
 * order through {@link JournalReader} (framing and CRCs), each workspace's entries through its own
 * {@link LogChecker} against its stored checkpoints ({@code DIR/checkpoints/<workspace>/}). Memory
 * stays constant in the number of entries: O(log n) per workspace plus one journal group. A purged log (docs/adr/0004)
 * is checked with its purge state ({@code DIR/journal/purges.json} and the purged leaf hashes), read from the files,
 * see {@link PurgedLogChecker}; the report's notes say what was purged and why.
 */
public final class DataDirectoryVerifier {
  /** Told now and then how far the run is, for a progress line on a terminal. */
  @FunctionalInterface
  public interface Progress {
    void update(long entries, long bytesRead, long totalBytes);

    Progress NONE = (entries, bytesRead, totalBytes) -> {};
  }

  /**
   * The outcome: a verdict per workspace, problems that belong to no known workspace (such as a
   * damaged frame whose workspace cannot be read), and notes that are not failures.
   */
  public record Report(List<Verdict> verdicts, List<String> problems, List<String> notes) {
    public boolean ok() {
      return problems.isEmpty() && verdicts.stream().allMatch(Verdict::ok);
    }
  }

  private static final int PROGRESS_EVERY = 1 << 16;

  private DataDirectoryVerifier() {}

  /**
   * Verifies the logs under {@code journalDir} and {@code checkpointsRoot} with {@code verifier};
   * only {@code onlyWorkspace} if it is not null.
   */
  public static Report verify(Path journalDir, Path checkpointsRoot, NoteVerifier verifier, String onlyWorkspace, Progress progress) {
    Map<String, PurgedLogChecker> checkers = new TreeMap<>();
    Map<String, PurgedPrefix> purged = PurgedPrefix.read(journalDir); // read-only: the journal is never opened for writing
    Map<String, CheckpointReader> checkpointReaders = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String ws : checkpointedWorkspaces(checkpointsRoot)) {
      if (onlyWorkspace == null || onlyWorkspace.equals(ws)) checker(ws, checkers, checkpointReaders, checkpointsRoot, verifier, purged);
    }
    String endNote = null;
    long entries = 0;
    try (JournalReader reader = JournalReader.open(journalDir)) {
      JournalReader.Item item;
      while ((item = reader.next()) != null) {
        switch (item) {
          case JournalReader.Frame f -> {
            if (onlyWorkspace != null && !onlyWorkspace.equals(f.workspace())) continue;
            checker(f.workspace(), checkers, checkpointReaders, checkpointsRoot, verifier, purged).accept(f.seq(), f.canonical());
            if (++entries % PROGRESS_EVERY == 0) progress.update(entries, reader.bytesRead(), reader.totalBytes());
          }
          case JournalReader.Damage d -> {
            String where = d.problem() + " at " + d.file() + " offset " + d.offset();
            if (d.workspaceHint() == null) {
              problems.add("journal damaged: " + where + " (the workspace of the damaged bytes cannot be told)");
            } else if (onlyWorkspace == null || onlyWorkspace.equals(d.workspaceHint())) {
              checker(d.workspaceHint(), checkers, checkpointReaders, checkpointsRoot, verifier, purged).checker().unreadable(where);
            }
          }
          case JournalReader.TornTail t -> {
            endNote = "the journal ends with " + t.bytes() + " unreadable bytes at " + t.file() + " offset " + t.offset() + " (" + t.problem() + ")";
            notes.add(endNote + ": a write cut short by a crash (never acknowledged) unless a checkpoint covers it");
          }
        }
      }
      progress.update(entries, reader.totalBytes(), reader.totalBytes());
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (PurgedLogChecker pc : checkers.values()) {
      LogChecker c = pc.checker();
      verdicts.add(pc.finish(endNote));
      notes.addAll(pc.purgeLines());
      String torn = checkpointReaders.get(c.workspace()).tornTail();
      if (torn != null) notes.add(c.workspace() + ": the checkpoint file ends with " + torn + " (an append cut short by a crash)");
    }
    if (onlyWorkspace != null && verdicts.isEmpty() && problems.isEmpty()) {
      problems.add("workspace '" + onlyWorkspace + "' has no entries and no checkpoints in this data directory");
    }
    return new Report(verdicts, problems, notes);
  }

  private static PurgedLogChecker checker(String ws, Map<String, PurgedLogChecker> checkers, Map<String, CheckpointReader> readers,
      Path checkpointsRoot, NoteVerifier verifier, Map<String, PurgedPrefix> purged) {
    return checkers.computeIfAbsent(ws, w -> {
      CheckpointReader reader = CheckpointReader.open(checkpointsRoot.resolve(w));
      readers.put(w, reader);
      return new PurgedLogChecker(new LogChecker(w, verifier, reader::next), purged.getOrDefault(w, PurgedPrefix.NONE));
    });
  }

  private static List<String> checkpointedWorkspaces(Path checkpointsRoot) {
    if (!Files.isDirectory(checkpointsRoot)) return List.of();
    try (var dirs = Files.list(checkpointsRoot)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + checkpointsRoot, e);
    }
  }
}
