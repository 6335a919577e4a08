package org.trailbook.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code trailbook <command>}: the one entry point of the runnable jar. */
@Command(
    name = "trailbook",
    mixinStandardHelpOptions = true,
    version = "Trailbook 0.1.0",
    description = "A self-hostable, verifiable activity log.",
    subcommands = {ServeCommand.class, VerifyCommand.class, BackupCommand.class, AdminCommand.class, BenchCommand.class, ArchiveCommand.class})
public final class Main implements Runnable {
  /** Exit codes: 0 fine, 1 the check failed (verify), 2 bad usage, 3 the server could not run. */
  static final int EXIT_FAILED_CHECK = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_ERROR = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // before the first log line starts Logback: a log format it cannot write is a start error, not a silent server
    String logFormat = org.trailbook.logging.LogFormat.problem(System.getenv());
    if (logFormat != null) {
      System.err.println("trailbook: " + logFormat);
      System.exit(EXIT_USAGE);
    }
    org.trailbook.logging.JulBridge.install();
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs with the given output and error streams (tests read what a command printed). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("trailbook: " + e.getMessage());
      return EXIT_ERROR;
    });
    cl.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("trailbook: " + e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return EXIT_USAGE;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
