package org.trailbook.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.trailbook.Json;
import org.trailbook.TrailbookException;
import org.trailbook.access.AccessStore;
import org.trailbook.access.Workspace;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.FileJournal;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.server.DataDirectory;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TrailbookServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code trailbook admin …}: operator tasks on a stopped server's data directory. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Operator tasks on a data directory (the server stopped).",
    subcommands = AdminCommand.ResetKey.class)
final class AdminCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code trailbook admin reset-key --data DIR} (or {@code --store URL}): the way back in when the platform admin key
   * is lost. Sets a new key (TRAILBOOK_ADMIN_KEY if set, else a random one printed once) and records the reset in every
   * workspace's log, since the key can act on all of them. On a PostgreSQL store see {@link AdminResetKeyOnStore}.
   */
  @Command(name = "reset-key", mixinStandardHelpOptions = true,
      description = {"Replace the platform admin key of a stopped server's data directory, or of a PostgreSQL store (its nodes may run),"
          + " and record it in every workspace's log.",
          "The new key is $TRAILBOOK_ADMIN_KEY if set, else a random one, printed once."})
  static final class ResetKey implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "The data directory (the server must be stopped).")
    Path data;

    @Option(names = "--store", paramLabel = "URL",
        description = "A PostgreSQL store, postgresql://user[:password]@host[:port]/database (default: $TRAILBOOK_STORE).")
    String store;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<StoreUrl> storeUrl;
      try {
        storeUrl = data != null && store == null ? Optional.empty() : ServerConfig.storeFrom(store, System.getenv());
      } catch (IllegalArgumentException e) {
        err.println("trailbook admin reset-key: " + e.getMessage());
        err.flush();
        return Main.EXIT_USAGE;
      }
      if (storeUrl.isPresent() == (data != null)) {
        err.println("trailbook admin reset-key: give --data DIR or --store URL (or TRAILBOOK_STORE), not both");
        err.flush();
        return Main.EXIT_USAGE;
      }
      if (storeUrl.isPresent()) {
        try {
          return AdminResetKeyOnStore.run(ServerConfig.fromEnvironment(System.getenv()), storeUrl.get(), out, err);
        } catch (java.io.IOException | RuntimeException e) {
          err.println("trailbook admin reset-key: could not run: " + e.getMessage());
          err.flush();
          return Main.EXIT_ERROR;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Main.EXIT_ERROR;
        }
      }
      if (!java.nio.file.Files.isDirectory(data.resolve("access"))) {
        err.println("trailbook admin reset-key: " + data.toAbsolutePath() + " is not a Trailbook data directory (it has no access/ folder)");
        err.flush();
        return Main.EXIT_USAGE;
      }
      ServerConfig config = ServerConfig.fromEnvironment(System.getenv()).withDataDir(data);
      DataDirectory dir;
      try {
        dir = DataDirectory.lock(data);
      } catch (TrailbookException e) {
        err.println("trailbook admin reset-key: " + e.getMessage() + ": stop the server first");
        err.flush();
        return Main.EXIT_ERROR;
      }
      try (dir) {
        // the log key must be the server's: a missing keys/log.key would be created anew here and every
        // checkpoint would stop verifying (the server signs with TRAILBOOK_LOG_KEY then)
        if (config.integrity().logKey() == null && java.nio.file.Files.isDirectory(dir.checkpoints())
            && !java.nio.file.Files.exists(dir.keys().resolve("log.key"))) {
          err.println("trailbook admin reset-key: this data directory's checkpoints are signed with a key kept outside it:"
              + " run the command with the server's environment (TRAILBOOK_LOG_KEY, TRAILBOOK_NAME)");
          err.flush();
          return Main.EXIT_USAGE;
        }
        Clock clock = Clock.systemUTC();
        AccessStore access = org.trailbook.access.FileAccessStore.open(dir.access(), clock);
        List<Workspace> workspaces = access.workspaces();
        try (FileJournal journal = FileJournal.open(dir.journal(), FileJournal.Options.defaults());
            LogIntegrity integrity = LogIntegrity.open(dir.root(), config.serverName(), journal, config.integrity())) {
          // every log must take the record before the key changes: a refused workspace changes nothing
          for (Workspace w : workspaces) integrity.checkWritable(w.id());
          String key = access.resetAdminKey(config.adminKey());
          // shown before the record is written: whatever happens next, the operator has the new key
          if (config.adminKey() != null && !config.adminKey().isBlank()) out.println("The platform admin key is now the one in TRAILBOOK_ADMIN_KEY.");
          else out.println("New platform admin key (shown once, store it now): " + key);
          out.flush();
          IngestService ingest = TrailbookServer.ingestService(config, integrity.guard(journal), clock);
          for (Workspace w : workspaces) ingest.record(w.id(), List.of(resetEvent()));
        }
        int recorded = workspaces.size();
        out.println("The old key no longer works. The reset is recorded in the log of " + recorded + " workspace" + (recorded == 1 ? "" : "s") + ".");
        out.flush();
        return 0;
      } catch (RuntimeException e) {
        err.println("trailbook admin reset-key: could not run: " + e.getMessage());
        err.flush();
        return Main.EXIT_ERROR;
      }
    }

    static ObjectNode resetEvent() {
      ObjectNode e = Json.MAPPER.createObjectNode();
      e.put("type", "security").put("action", "audit_log.admin_key_reset").put("category", "audit_log").put("layer", "platform");
      e.putObject("actor").put("type", "system").put("id", "operator").put("name", "Operator");
      e.putObject("resource").put("type", "admin_key").put("id", "platform-admin").put("name", "Platform admin key");
      e.putObject("metadata").put("command", "trailbook admin reset-key").put("host", hostName());
      e.put("summary", "The operator replaced the platform admin key (trailbook admin reset-key)");
      return e;
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        return "unknown";
      }
    }
  }
}
