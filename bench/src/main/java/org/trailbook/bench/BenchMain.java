package org.trailbook.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.trailbook.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trailbook bench}: runs the benchmark and prints one table (and JSON with --out). */
@Command(name = "trailbook bench", mixinStandardHelpOptions = true,
    description = "Workload W through Trailbook's HTTP API (on the file store, on PostgreSQL, or both), side by side with plain PostgreSQL on the same machine.")
public final class BenchMain implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "1000000", description = "Events in workload W (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--seed", defaultValue = "1", description = "Workload seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pg", description = "JDBC URL of an existing PostgreSQL (default: $TRAILBOOK_PG_URL, else a throwaway embedded one).")
  String pg;

  @Option(names = "--only", split = ",", description = "Measures to run, e.g. I1,Q1,Q5 (default: all but R2, which loads W once more and runs only when named).")
  String[] only = {};

  @Option(names = "--out", description = "Also write the results as JSON to this file.")
  Path out;

  @Option(names = "--server-jar", defaultValue = "server/target/trailbook.jar", description = "The Trailbook jar to run (default ${DEFAULT-VALUE}).")
  Path serverJar;

  @Option(names = "--runs", defaultValue = "200", description = "Timed runs per query (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--latency-events", defaultValue = "20000", description = "Single events sent for I2 (default ${DEFAULT-VALUE}: 10 s at 2,000/s).")
  int latencyEvents;

  @Option(names = "--server-java-opts", defaultValue = "", description = "JVM options of the server process, as bin/trailbook gives them (default: none).")
  String serverJavaOpts;

  @Option(names = "--store", split = ",", defaultValue = "file", paramLabel = "file|postgresql",
      description = "Stores to run Trailbook on, each measured beside the peer: file, postgresql, or file,postgresql"
          + " (postgresql: serve --store on a database of the peer's PostgreSQL server) (default ${DEFAULT-VALUE}).")
  List<String> stores;

  @Option(names = "--nodes", defaultValue = "1", description = "Server processes on the PostgreSQL store, 1 to 3; the load is spread over them in turn,"
      + " and V1 writes through node 1 and looks on node 2 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--no-r2-peer", description = "R2 without its PostgreSQL peer: for runs whose peer would not fit the disk (10 M events take"
      + " about 57 GB in PostgreSQL); Trailbook's side, its memory included, is measured as usual.")
  boolean noR2Peer;

  @Option(names = "--commit", defaultValue = "unknown", description = "Commit id to record in the JSON.")
  String commit;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<BenchStore> sides;
    try {
      sides = BenchStore.parse(stores, nodes);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("trailbook bench: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    if (!Files.isRegularFile(serverJar)) throw new IllegalArgumentException("no server jar at " + serverJar + ": build it first (bin/trailbook does)");
    String pgUrl = pg != null ? pg : System.getenv("TRAILBOOK_PG_URL");
    Set<String> wanted = Arrays.stream(only).map(String::strip).collect(Collectors.toSet());
    Path work = Files.createTempDirectory("trailbook-bench");
    BenchOptions options = new BenchOptions(events, seed, pgUrl, wanted, serverJar.toAbsolutePath(), work, runs, Math.max(10, runs / 10), latencyEvents,
        serverJavaOpts.isBlank() ? List.of() : List.of(serverJavaOpts.strip().split("\\s+")), sides, !noR2Peer);
    BenchRun.Result result = new BenchRun(options, System.err).run();
    System.out.println();
    Report.print(result.measures(), System.out);
    result.sameAnswers().forEach((q, same) -> {
      if (!same) System.out.println(q + ": Trailbook and PostgreSQL answered differently: " + result.firstDifference().get(q));
    });
    if (out != null) Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Report.json(result.measures(), events, seed, commit)) + "\n");
    return result.sameAnswers().containsValue(false) ? 1 : 0;
  }
}
