package org.trailbook.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code trailbook bench}: listed here so {@code --help} names every command. The benchmark is its
 * own jar (it runs this server as a separate process beside PostgreSQL), so {@code bin/trailbook}
 * runs it; this jar only says so.
 */
@Command(name = "bench", description = {"Run the benchmark: workload W through this server over HTTP, side by side with PostgreSQL.",
    "Run it as 'bin/trailbook bench [--events N] [--only I1,Q1,...]'; see docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("trailbook bench: the benchmark is its own program; run it from a checkout as 'bin/trailbook bench' (see docs/benchmarks.md)");
    spec.commandLine().getErr().flush();
    return Main.EXIT_USAGE;
  }
}
