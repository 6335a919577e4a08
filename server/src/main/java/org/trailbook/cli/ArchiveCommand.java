package org.trailbook.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.trailbook.TrailbookException;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.verify.ArchiveVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailbook archive …}: archives of purged log ranges (docs/retention.md). */
@Command(name = "archive", mixinStandardHelpOptions = true, description = "Archives of log ranges written before retention purged them.",
    subcommands = ArchiveCommand.Verify.class)
final class ArchiveCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code trailbook archive verify FILE --key log.pub}: checks an archive offline with nothing but the log's verifier
   * key, streaming (constant memory), and prints one verdict line.
   */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Verify an archive file offline: its entries, their chain, and the signed checkpoint they are proven against.",
          "Exit codes: 0 verified, 1 verification failed, 2 bad usage, 3 could not run."})
  static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The archive (.tbarchive.zst).")
    Path file;

    @Option(names = "--key", paramLabel = "KEYFILE", required = true, description = "File holding the log's verifier key (<name>+<id>+<base64>), e.g. DIR/keys/log.pub.")
    Path keyFile;

    @Option(names = "--sha256", paramLabel = "HEX",
        description = "The SHA-256 the purge record names for this archive (audit_log.purged): the file must be exactly those bytes.")
    String sha256;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        if (!Files.isRegularFile(file)) throw new TrailbookException("no archive file " + file);
        NoteVerifier key = VerifyCommand.readVerifier(keyFile);
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
          err.println("trailbook archive verify: --sha256 must be 64 hex digits");
          err.flush();
          return Main.EXIT_USAGE;
        }
        ArchiveVerifier.Result result = ArchiveVerifier.verify(file, key).expecting(sha256);
        (result.ok() ? out : err).println(result.line());
        out.flush();
        err.flush();
        return result.ok() ? 0 : Main.EXIT_FAILED_CHECK;
      } catch (TrailbookException | IOException e) {
        err.println("trailbook archive verify: could not run: " + e.getMessage());
        err.flush();
        return Main.EXIT_ERROR;
      }
    }
  }
}
