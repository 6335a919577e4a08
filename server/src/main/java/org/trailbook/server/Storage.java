package org.trailbook.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import org.trailbook.access.AccessStore;
import org.trailbook.access.FileAccessStore;
import org.trailbook.checkpoint.Checkpoints;
import org.trailbook.checkpoint.FileCheckpoints;
import org.trailbook.export.ExportFiles;
import org.trailbook.export.ExportJobStore;
import org.trailbook.export.FileExportFiles;
import org.trailbook.export.FileExportJobStore;
import org.trailbook.integrity.SigningLease;
import org.trailbook.integrity.SingleNodeLease;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.FileJournal;
import org.trailbook.postgres.PostgresAccessStore;
import org.trailbook.postgres.PostgresCheckpoints;
import org.trailbook.postgres.PostgresDatabase;
import org.trailbook.postgres.PostgresEventStore;
import org.trailbook.postgres.PostgresExportFiles;
import org.trailbook.postgres.PostgresExportJobStore;
import org.trailbook.postgres.PostgresServerSecrets;
import org.trailbook.postgres.PostgresRetentionStore;
import org.trailbook.postgres.PostgresSessionStore;
import org.trailbook.postgres.PostgresSigningLease;
import org.trailbook.postgres.PostgresViewStore;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.retention.FileRetentionStore;
import org.trailbook.retention.RetentionStore;
import org.trailbook.secrets.FileServerSecrets;
import org.trailbook.secrets.ServerSecrets;
import org.trailbook.ui.FileSessionStore;
import org.trailbook.ui.SessionStore;
import org.trailbook.views.FileViewStore;
import org.trailbook.views.ViewStore;

/**
 * Everything a node keeps that is not derived from the log, chosen once at start: the embedded store
 * (files in the data directory, the default) or PostgreSQL ({@code --store}), shared by every node. The
 * rest of the server sees only the interfaces, so nothing above this class changes with the backend.
 * The data directory holds the node's derived state either way (search index, Merkle trees).
 *
 * <p>Each part is registered with {@code parts} as it opens, so a start that fails half-way closes what
 * opened; the checkpoints are closed by the trees that use them ({@code LogIntegrity}).
 */
public record Storage(EventStore events, AccessStore access, Checkpoints checkpoints, ViewStore views, SessionStore sessions,
    ExportJobStore exportJobs, ExportFiles exportFiles, ServerSecrets secrets, SigningLease signingLease,
    Optional<PostgresDatabase> database, RetentionStore retention) {

  /** Opens the store {@code config} names, registering its parts with {@code parts} (closed after whatever is added later). */
  static Storage open(ServerConfig config, DataDirectory data, Clock clock, Closer parts) {
    return config.store().isPresent()
        ? postgres(config, config.store().get(), clock, parts)
        : embedded(config, data, clock, parts);
  }

  private static Storage embedded(ServerConfig config, DataDirectory data, Clock clock, Closer parts) {
    FileJournal journal = FileJournal.open(data.journal(), new FileJournal.Options(
        FileJournal.Options.defaults().segmentBytes(), config.maxPendingEvents(), FileJournal.Options.defaults().maxGroupEvents()));
    parts.add("journal", journal);
    try {
      return new Storage(journal,
          parts.add("workspaces and keys", FileAccessStore.open(data.access(), clock)),
          FileCheckpoints.open(data.root().resolve("checkpoints")),
          FileViewStore.open(data.root().resolve("views"), clock),
          parts.add("page sessions", FileSessionStore.open(data.sessions(), clock)),
          FileExportJobStore.open(data.exports(), config.exports().jobsPerHour(), clock.millis()),
          FileExportFiles.open(data.exports()),
          new FileServerSecrets(data.root().resolve("keys")),
          new SingleNodeLease(),
          Optional.empty(),
          FileRetentionStore.open(data.root().resolve("retention")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the export directory " + data.exports(), e);
    }
  }

  private static Storage postgres(ServerConfig config, StoreUrl url, Clock clock, Closer parts) {
    PostgresDatabase db = parts.add("store connections", PostgresDatabase.open(url, config.storeOptions()));
    PostgresEventStore.Options defaults = PostgresEventStore.Options.defaults(db.options());
    PostgresEventStore events = PostgresEventStore.open(db, new PostgresEventStore.Options(config.maxPendingEvents(),
        defaults.maxPendingBytes(), defaults.maxGroupEvents(), defaults.maxGroupBytes(), defaults.feedLag()));
    parts.add("store writer", events);
    return new Storage(events,
        parts.add("workspaces and keys", PostgresAccessStore.open(db, clock)),
        PostgresCheckpoints.open(db),
        new PostgresViewStore(db, clock),
        parts.add("page sessions", new PostgresSessionStore(db, clock)),
        new PostgresExportJobStore(db, config.exports().jobsPerHour()),
        new PostgresExportFiles(db),
        new PostgresServerSecrets(db.dataSource()),
        parts.add("signing lease", PostgresSigningLease.forSigner(url, config.nodeLabel(config.port()))),
        Optional.of(db),
        new PostgresRetentionStore(db));
  }

  /** What the start-up line says the node runs on. */
  String describe(DataDirectory data) {
    return database.map(db -> "store " + db.url() + ", derived state in " + data.root().toAbsolutePath())
        .orElseGet(() -> "data in " + data.root().toAbsolutePath());
  }
}
