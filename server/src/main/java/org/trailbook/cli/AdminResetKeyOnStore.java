package org.trailbook.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.trailbook.TrailbookException;
import org.trailbook.access.Workspace;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.postgres.PostgresAccessStore;
import org.trailbook.postgres.PostgresCheckpoints;
import org.trailbook.postgres.PostgresDatabase;
import org.trailbook.postgres.PostgresEventStore;
import org.trailbook.postgres.PostgresLogVerifier;
import org.trailbook.postgres.PostgresServerSecrets;
import org.trailbook.postgres.PostgresSigningLease;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.secrets.ServerSecrets;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TrailbookServer;

/**
 * {@code trailbook admin reset-key --store URL}: the reset on a PostgreSQL store, as {@link AdminCommand.ResetKey}
 * does it on a data directory. The nodes may keep running: the store is shared, each node's access cache takes the
 * new key within its staleness bound, and the records go through the store's writer like any ingest. The trees the
 * integrity check needs are rebuilt from the store in a temporary directory (a node's derived state), checked against
 * the stored checkpoints; the command signs a checkpoint only if no running node holds the signing lease (else that
 * node signs the new entries).
 */
final class AdminResetKeyOnStore {
  private AdminResetKeyOnStore() {}

  static int run(ServerConfig config, StoreUrl url, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("trailbook-reset-key-");
    Clock clock = Clock.systemUTC();
    try (PostgresDatabase db = PostgresDatabase.open(url, PostgresDatabase.Options.defaults());
        PostgresEventStore events = PostgresEventStore.open(db);
        PostgresAccessStore access = PostgresAccessStore.open(db, clock)) {
      ServerSecrets stored = new PostgresServerSecrets(db.dataSource());
      Optional<String> recorded = PostgresLogVerifier.recordedVerifierKey(db.dataSource());
      // the log key must be the nodes': a missing log.key secret would be created anew here, and the records would be
      // signed with a key no checkpoint verifies with (the nodes sign with TRAILBOOK_LOG_KEY then)
      ServerSecrets secrets = config.integrity().logKey() != null || recorded.isEmpty() ? stored : (name, create) -> stored.getOrCreate(name, () -> {
        if (name.equals("log.key")) throw new KeyKeptOutside();
        return create.get();
      });
      List<Workspace> workspaces = access.workspaces();
      try (PostgresSigningLease lease = PostgresSigningLease.forSigner(url, "trailbook admin reset-key");
          LogIntegrity integrity = LogIntegrity.open(scratch, config.serverName(), events, PostgresCheckpoints.open(db), secrets, lease,
              config.integrity())) {
        lease.awaitHeld(java.time.Duration.ofSeconds(2)); // no node running: this command signs the checkpoint of the records
        String verifierKey = stored.getOrCreate("log.verifier", integrity::verifierKey);
        if (!verifierKey.equals(integrity.verifierKey())) {
          err.println("trailbook admin reset-key: the log key here (" + integrity.verifierKey() + ") is not the one the store's log is signed with ("
              + verifierKey + "): run the command with the nodes' TRAILBOOK_LOG_KEY and TRAILBOOK_NAME, or none");
          err.flush();
          return Main.EXIT_USAGE;
        }
        // every log must take the record before the key changes: a refused workspace changes nothing
        for (Workspace w : workspaces) integrity.checkWritable(w.id());
        String key = access.resetAdminKey(config.adminKey());
        // shown before the record is written: whatever happens next, the operator has the new key
        if (config.adminKey() != null && !config.adminKey().isBlank()) out.println("The platform admin key is now the one in TRAILBOOK_ADMIN_KEY.");
        else out.println("New platform admin key (shown once, store it now): " + key);
        out.flush();
        IngestService ingest = TrailbookServer.ingestService(config, integrity.guard(events), clock);
        for (Workspace w : workspaces) ingest.record(w.id(), List.of(AdminCommand.ResetKey.resetEvent()));
      } catch (KeyKeptOutside e) {
        err.println("trailbook admin reset-key: this store's checkpoints are signed with a key kept outside it:"
            + " run the command with the nodes' environment (TRAILBOOK_LOG_KEY, TRAILBOOK_NAME)");
        err.flush();
        return Main.EXIT_USAGE;
      }
      int recordedIn = workspaces.size();
      out.println("The old key no longer works (running nodes refuse it within " + PostgresAccessStore.STALENESS.toMillis() + " ms)."
          + " The reset is recorded in the log of " + recordedIn + " workspace" + (recordedIn == 1 ? "" : "s") + ".");
      out.flush();
      return 0;
    } finally {
      deleteTree(scratch);
    }
  }

  /** Thrown from the secrets when the log key would be created although the store's log is signed already. */
  private static final class KeyKeptOutside extends TrailbookException {
    KeyKeptOutside() {
      super("the store's log key is kept outside it");
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the scratch directory " + root, e);
    }
  }
}
