package org.trailbook.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.demo.DemoData;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TrailbookServer;
import org.trailbook.ui.UiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code trailbook serve}: runs a node on its embedded store, or on a shared PostgreSQL store ({@code --store}), until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Trailbook server.")
final class ServeCommand implements Callable<Integer> {
  /** Time for closing the parts after the HTTP drain (index commit, final checkpoints, journal). */
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(15);

  @Option(names = "--data", description = "Data directory (default: $TRAILBOOK_DATA or ./data).")
  Path data;

  @Option(names = "--port", description = "HTTP port, 0 for any free one (default: $TRAILBOOK_PORT or 8080).")
  Integer port;

  @Option(names = "--host", description = "Address to listen on (default: $TRAILBOOK_HOST or 0.0.0.0).")
  String host;

  @Option(names = "--store", paramLabel = "URL", description = "A shared PostgreSQL store, postgresql://user[:password]@host[:port]/database"
      + " (default: $TRAILBOOK_STORE, else the embedded store in the data directory). The data directory keeps this node's derived state.")
  String store;

  @Option(names = "--demo", description = "Fill a 'demo' workspace with realistic events on first start and print a key for it.")
  boolean demo;

  @Spec CommandSpec spec;

  @Option(names = "--demo-events", defaultValue = "20000", description = "How many demo events to generate (default: ${DEFAULT-VALUE}).")
  int demoEvents;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = new HashMap<>(System.getenv());
    Optional<StoreUrl> chosen;
    try {
      chosen = ServerConfig.storeFrom(store, env); // the flag wins: a bad TRAILBOOK_STORE beside a good --store is not read
    } catch (IllegalArgumentException e) {
      err.println("trailbook serve: " + e.getMessage());
      err.flush();
      return Main.EXIT_USAGE;
    }
    env.remove("TRAILBOOK_STORE");
    ServerConfig config = ServerConfig.fromEnvironment(env).withStore(chosen);
    if (data != null) config = config.withDataDir(data);
    if (port != null) config = config.withPort(port);
    if (host != null) config = config.withHost(host);
    List<String> problems = StartChecks.usageProblems(config);
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("trailbook serve: " + p));
      err.flush();
      return Main.EXIT_USAGE;
    }
    String listen = StartChecks.listenProblem(config);
    if (listen != null) {
      err.println("trailbook serve: " + listen);
      err.flush();
      return Main.EXIT_ERROR;
    }
    TrailbookServer server = TrailbookServer.start(config, UiConfig.fromEnvironment(System.getenv()));
    CountDownLatch stopped = new CountDownLatch(1);
    Duration drain = config.shutdownTimeout();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, drain, stopped), "shutdown"));
    String shownHost = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    String url = "http://" + shownHost + ":" + server.port();
    String where = config.store().map(s -> ", store: " + s).orElse(""); // StoreUrl shows no password
    System.out.println("Trailbook is listening on " + url + " (data: " + config.dataDir().toAbsolutePath() + where + ")");
    server.generatedAdminKey().ifPresent(k -> System.out.println("Platform admin key (shown once, store it now): " + k));
    if (demo) DemoData.load(server, demoEvents, url, System.out);
    System.out.flush();
    stopped.await();
    return 0;
  }

  /**
   * SIGTERM (or Ctrl-C): stop accepting, let requests in flight finish for up to {@code timeout} (their
   * acknowledgements are made durable before the journal closes), then close every part. A watchdog
   * halts the process if closing itself hangs past the timeout and a margin: every acknowledged event
   * is already on disk, so nothing acknowledged is lost by halting.
   */
  private static void stop(TrailbookServer server, Duration timeout, CountDownLatch stopped) {
    Logger log = LoggerFactory.getLogger(ServeCommand.class);
    log.info("stopping: finishing the requests in flight (for up to {} s)", timeout.toSeconds());
    CountDownLatch closed = new CountDownLatch(1);
    Thread.ofPlatform().daemon().name("shutdown-watchdog").start(() -> {
      try {
        if (closed.await(timeout.plus(CLOSE_MARGIN).toMillis(), TimeUnit.MILLISECONDS)) return;
        log.error("stopping took longer than {} s; halting (every acknowledged event is on disk)", timeout.plus(CLOSE_MARGIN).toSeconds());
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.close();
    closed.countDown();
    log.info("stopped");
    stopped.countDown();
  }
}
