package org.trailbook.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.trailbook.TrailbookException;
import org.trailbook.server.DataBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trailbook backup --data DIR --to DEST}: a consistent copy of a data directory, the server running or not.
 * Refused for a PostgreSQL store ({@code --store} or {@code TRAILBOOK_STORE}): the log lives in the database then, and
 * the data directory holds only derived state (rebuilt from the store), so a copy of it would back up nothing.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Copy a data directory consistently, while the server runs or not: every event acknowledged before the backup began is in it.",
        "Check the copy with 'trailbook verify --data DEST'; restore by starting 'trailbook serve --data DEST'."})
final class BackupCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "DIR", description = "The data directory to back up.")
  Path data;

  @Option(names = "--store", paramLabel = "URL", description = "A PostgreSQL store: refused, back it up with PostgreSQL's own tools.")
  String store;

  @Option(names = "--to", paramLabel = "DEST", description = "Where to write the copy: a new or empty directory.")
  Path to;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String storeUrl = store != null ? store : System.getenv("TRAILBOOK_STORE");
    if (storeUrl != null && !storeUrl.isBlank()) {
      err.println("trailbook backup: the log is kept in a PostgreSQL store (" + (store != null ? "--store" : "TRAILBOOK_STORE") + "), not in a data directory:"
          + " back up the database with PostgreSQL's own tools (pg_dump, pg_basebackup, or your provider's snapshots)."
          + " A node's data directory then holds only derived state (search index, Merkle trees), which it rebuilds from the store.");
      err.flush();
      return Main.EXIT_USAGE;
    }
    if (data == null || to == null) {
      err.println("trailbook backup: give --data DIR and --to DEST");
      spec.commandLine().usage(err);
      err.flush();
      return Main.EXIT_USAGE;
    }
    try {
      DataBackup.Result r = DataBackup.backup(data, to);
      out.printf("backed up %,d journal entries (%d segments, %,d bytes) to %s%n", r.entries(), r.segments(), r.journalBytes(), r.to().toAbsolutePath());
      out.println("check it with 'trailbook verify --data " + r.to() + "'; restore by starting 'trailbook serve --data " + r.to() + "'");
      out.flush();
      return 0;
    } catch (TrailbookException | UncheckedIOException e) {
      err.println("trailbook backup: " + e.getMessage());
      err.flush();
      return Main.EXIT_ERROR;
    }
  }
}
