package org.trailbook.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.trailbook.TrailbookException;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.postgres.PostgresLogVerifier;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.verify.BundleVerifier;
import org.trailbook.verify.DataDirectoryVerifier;
import org.trailbook.verify.Verdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trailbook verify}: checks a data directory's logs straight from its files (the server may
 * be stopped), a PostgreSQL store's logs straight from its tables, or an export bundle with nothing
 * but the verifier key. Prints one verdict line per
 * workspace; exits 0 only if everything holds, 1 if anything does not, 3 if it could not run.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Verify every workspace log of a data directory, a PostgreSQL store, or an export bundle, and name the first bad entry.",
        "Exit codes: 0 verified, 1 verification failed, 2 bad usage, 3 could not run."})
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "DIR", description = "Data directory to check (journal, checkpoints, keys).")
  Path data;

  @Option(names = "--store", paramLabel = "URL",
      description = "PostgreSQL store to check (postgresql://user[:password]@host[:port]/database; PGPASSWORD is read too). Read-only.")
  String store;

  @Option(names = "--workspace", paramLabel = "WS", description = "Check only this workspace (with --data or --store).")
  String workspace;

  @Option(names = "--bundle", paramLabel = "FILE", description = "Export bundle (zip) to check.")
  Path bundle;

  @Option(names = "--key", paramLabel = "KEYFILE",
      description = "File holding the log's verifier key (<name>+<id>+<base64>). Required with --bundle; with --data the default is DIR/keys/log.pub;"
          + " with --store the key the store recorded (server_secrets log.verifier).")
  Path keyFile;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int sources = (data == null ? 0 : 1) + (bundle == null ? 0 : 1) + (store == null ? 0 : 1);
    if (sources != 1) return usage(err, "give exactly one of --data DIR, --store URL or --bundle FILE");
    if (bundle != null && keyFile == null) return usage(err, "--bundle needs --key KEYFILE (the log's verifier key)");
    if (bundle != null && workspace != null) return usage(err, "--workspace goes with --data or --store, not --bundle");
    if (store != null && !StoreUrl.isPostgres(store)) return usage(err, "--store takes a postgresql:// URL");
    try {
      if (store != null) return verifyStore(out, err);
      return bundle != null ? verifyBundle(out, err) : verifyData(out, err);
    } catch (TrailbookException | IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
      err.println("trailbook verify: could not run: " + e.getMessage());
      err.flush();
      return Main.EXIT_ERROR;
    }
  }

  private int verifyBundle(PrintWriter out, PrintWriter err) throws IOException {
    NoteVerifier verifier = readVerifier(keyFile);
    BundleVerifier.Result result = BundleVerifier.verify(bundle, verifier);
    (result.ok() ? out : err).println(result.line());
    out.flush();
    err.flush();
    return result.ok() ? 0 : Main.EXIT_FAILED_CHECK;
  }

  private int verifyData(PrintWriter out, PrintWriter err) throws IOException {
    if (!Files.isDirectory(data.resolve("journal"))) {
      err.println("trailbook verify: could not run: " + data + " is not a Trailbook data directory (no journal/ in it)");
      err.flush();
      return Main.EXIT_ERROR;
    }
    NoteVerifier verifier = readVerifier(keyFile != null ? keyFile : dataDirectoryKey());
    boolean terminal = System.console() != null;
    long started = System.nanoTime();
    long[] lastShown = {started};
    DataDirectoryVerifier.Report report = DataDirectoryVerifier.verify(data.resolve("journal"), data.resolve("checkpoints"), verifier, workspace,
        (entries, read, total) -> {
          long now = System.nanoTime();
          if (!terminal || now - lastShown[0] < 1_000_000_000L) return;
          lastShown[0] = now;
          err.printf("\rverifying: %,d entries, %d%% of the journal", entries, total == 0 ? 100 : read * 100 / total);
          err.flush();
        });
    if (terminal && System.nanoTime() - started >= 1_000_000_000L) err.print("\r\033[K");
    if (workspace != null && report.verdicts().isEmpty()) {
      return usage(err, "no workspace '" + workspace + "' in " + data + ": it has no entries and no checkpoints there");
    }
    return print(report, data.toString(), out, err);
  }

  /**
   * Checks a PostgreSQL store's logs and every stored checkpoint, with {@code --key} if given, else with the verifier
   * key the store recorded when its first node started.
   */
  private int verifyStore(PrintWriter out, PrintWriter err) throws IOException {
    StoreUrl url = StoreUrl.parse(store);
    DataDirectoryVerifier.Report report = PostgresLogVerifier.verify(url, keyFile == null ? null : readVerifier(keyFile), workspace);
    if (workspace != null && report.verdicts().isEmpty()) return usage(err, "no workspace '" + workspace + "' in " + url + ": it has no entries there");
    return print(report, url.toString(), out, err);
  }

  private static int print(DataDirectoryVerifier.Report report, String where, PrintWriter out, PrintWriter err) {
    for (String note : report.notes()) out.println("note: " + note);
    for (Verdict v : report.verdicts()) (v.ok() ? out : err).println(v.line());
    for (String problem : report.problems()) err.println("FAILED — " + problem);
    if (report.verdicts().isEmpty() && report.problems().isEmpty()) out.println("no workspace logs in " + where);
    out.println(report.ok() ? "verified: every log holds" : "verification FAILED");
    out.flush();
    err.flush();
    return report.ok() ? 0 : Main.EXIT_FAILED_CHECK;
  }

  /** The verifier key the server wrote to keys/log.pub, or the one derived from keys/log.key. */
  private Path dataDirectoryKey() {
    Path pub = data.resolve("keys").resolve("log.pub");
    if (Files.exists(pub)) return pub;
    Path key = data.resolve("keys").resolve("log.key");
    if (Files.exists(key)) return key;
    throw new TrailbookException("no verifier key in " + data.resolve("keys") + " (log.pub or log.key); give one with --key");
  }

  static NoteVerifier readVerifier(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.size() != 1) throw new TrailbookException("the key file " + file + " must hold one line, not " + lines.size());
    String text = lines.getFirst();
    if (text.startsWith("PRIVATE+KEY+")) return LogKey.parse(text).verifier();
    return NoteVerifier.parse(text);
  }

  private int usage(PrintWriter err, String message) {
    err.println("trailbook verify: " + message);
    spec.commandLine().usage(err);
    err.flush();
    return Main.EXIT_USAGE;
  }
}
