package org.trailbook.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.trailbook.demo.DemoData;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TrailbookServer;
import org.trailbook.ui.UiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code trailbook serve}: runs a node on its embedded store until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Trailbook server.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--data", description = "Data directory (default: $TRAILBOOK_DATA or ./data).")
  Path data;

  @Option(names = "--port", description = "HTTP port, 0 for any free one (default: $TRAILBOOK_PORT or 8080).")
  Integer port;

  @Option(names = "--host", description = "Address to listen on (default: $TRAILBOOK_HOST or 0.0.0.0).")
  String host;

  @Option(names = "--demo", description = "Fill a 'demo' workspace with realistic events on first start and print a key for it.")
  boolean demo;

  @Spec CommandSpec spec;

  @Option(names = "--demo-events", defaultValue = "20000", description = "How many demo events to generate (default: ${DEFAULT-VALUE}).")
  int demoEvents;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ServerConfig.fromEnvironment(System.getenv());
    if (data != null) config = config.withDataDir(data);
    if (port != null) config = config.withPort(port);
    if (host != null) config = config.withHost(host);
    PrintWriter err = spec.commandLine().getErr();
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    String shownHost = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    String url = "http://" + shownHost + ":" + server.port();
    System.out.println("Trailbook is listening on " + url + " (data: " + config.dataDir().toAbsolutePath() + ")");
    server.generatedAdminKey().ifPresent(k -> System.out.println("Platform admin key (shown once, store it now): " + k));
    if (demo) DemoData.load(server, demoEvents, url, System.out);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
