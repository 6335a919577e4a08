package org.trailbook.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server jar in its own JVM with its documented defaults, on a fresh data directory: what
 * a user runs, measured from outside.
 */
final class TrailbookProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  final Path jar;
  final Path data;
  final String adminKey;
  private final Process process;
  final String url;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());

  TrailbookProcess(Path jar, Path data, String adminKey, List<String> javaOptions) throws IOException {
    this(jar, data, adminKey, javaOptions, Optional.empty(), null);
  }

  /**
   * A node on the shared store {@code store} ({@code serve --store}; empty: the embedded store in
   * {@code data}), named {@code nodeName} in its logs (null: the server's default).
   */
  TrailbookProcess(Path jar, Path data, String adminKey, List<String> javaOptions, Optional<String> store, String nodeName) throws IOException {
    this(jar, data, adminKey, javaOptions, store, nodeName, Map.of());
  }

  /**
   * A server on the embedded store in {@code data} (which may hold a previous run's log: a restart)
   * with {@code environment} added to its process's, e.g. libfaketime's variables (R2).
   */
  TrailbookProcess(Path jar, Path data, String adminKey, List<String> javaOptions, Map<String, String> environment) throws IOException {
    this(jar, data, adminKey, javaOptions, Optional.empty(), null, environment);
  }

  private TrailbookProcess(Path jar, Path data, String adminKey, List<String> javaOptions, Optional<String> store, String nodeName,
      Map<String, String> environment) throws IOException {
    this.jar = jar;
    this.data = data;
    this.adminKey = adminKey;
    List<String> cmd = command(jar, "serve", "--data", data.toString(), "--port", "0", "--host", "127.0.0.1");
    store.ifPresent(s -> cmd.addAll(List.of("--store", s)));
    cmd.addAll(1, javaOptions);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true);
    pb.environment().put("TRAILBOOK_ADMIN_KEY", adminKey);
    pb.environment().remove("TRAILBOOK_STORE"); // the side chooses its store, never the caller's environment
    if (nodeName != null) pb.environment().put("TRAILBOOK_NODE_NAME", nodeName);
    pb.environment().putAll(environment);
    process = pb.start();
    CompletableFuture<String> found = new CompletableFuture<>();
    Thread.ofPlatform().daemon(true).start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) found.complete(m.group(1));
        }
      } catch (IOException ignored) {
        // the process ended
      }
      found.completeExceptionally(new IllegalStateException("the server exited: " + output));
    });
    try {
      url = found.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + output, e);
    }
  }

  static List<String> command(Path jar, String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  long pid() {
    return process.pid();
  }

  /** Peak resident memory of the server process (VmHWM), in bytes, or -1 where /proc is absent. */
  long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** Current resident memory of the server process (VmRSS), in bytes, or -1 where /proc is absent. */
  long rssBytes() {
    return RssSampler.rssBytes(process.pid());
  }

  List<String> output() {
    return List.copyOf(output);
  }

  /** Stops the server and keeps what it printed beside its data directory ({@code <data>.log}), for a look afterwards. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Files.write(data.resolveSibling(data.getFileName() + ".log"), output());
    } catch (IOException | RuntimeException e) {
      // the log is a convenience: a run never fails for want of it
    }
  }
}
