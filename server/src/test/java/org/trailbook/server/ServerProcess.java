package org.trailbook.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.trailbook.http.HttpClientForTests;

/**
 * A Trailbook server in a separate JVM, started the way a user starts it ({@code Main serve}),
 * so tests can kill it for real with SIGKILL.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private final Process process;
  private final String url;
  private final List<String> output;
  /** The server's stderr when it is kept apart ({@link #startWithSeparateErrors}); else empty. */
  private final Lines errors;

  private final CompletableFuture<Void> outputEnded;

  private ServerProcess(Process process, String url, List<String> output, Lines errors, CompletableFuture<Void> outputEnded) {
    this.process = process;
    this.url = url;
    this.output = output;
    this.errors = errors;
    this.outputEnded = outputEnded;
  }

  public static ServerProcess start(Path data, String adminKey) throws IOException {
    return start(data, adminKey, List.of("-Xmx512m"), java.util.Map.of(), null);
  }

  /**
   * With the process umask set to {@code umask} (octal, e.g. {@code "000"}) by a shell that then execs the JVM, so the
   * server is the very process the test stops; null keeps the test's own umask.
   */
  public static ServerProcess start(Path data, String adminKey, String umask) throws IOException {
    return start(data, adminKey, List.of("-Xmx512m"), java.util.Map.of(), umask);
  }

  /** With the given JVM options (heap size, …) and extra {@code TRAILBOOK_*} environment. */
  public static ServerProcess start(Path data, String adminKey, List<String> jvmArgs, java.util.Map<String, String> env) throws IOException {
    return start(data, adminKey, jvmArgs, env, null);
  }

  /** With stderr (the logs) kept apart from stdout: {@link #output()} is stdout, {@link #errors()} stderr. */
  public static ServerProcess startWithSeparateErrors(Path data, String adminKey, java.util.Map<String, String> env) throws IOException {
    return start(data, adminKey, List.of("-Xmx512m"), env, null, new Lines());
  }

  private static ServerProcess start(Path data, String adminKey, List<String> jvmArgs, java.util.Map<String, String> env, String umask) throws IOException {
    return start(data, adminKey, jvmArgs, env, umask, null);
  }

  private static ServerProcess start(Path data, String adminKey, List<String> jvmArgs, java.util.Map<String, String> env, String umask,
      Lines errors) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.trailbook.cli.Main",
        "serve", "--data", data.toString(), "--port", "0", "--host", "127.0.0.1"));
    if (umask != null) {
      if (!umask.matches("[0-7]{3,4}")) throw new IllegalArgumentException("not an octal umask: " + umask);
      cmd.addAll(0, List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(errors == null);
    pb.environment().putAll(env);
    pb.environment().put("TRAILBOOK_ADMIN_KEY", adminKey);
    Process p = pb.start();
    if (errors != null) Thread.ofVirtual().start(() -> errors.readAll(p.getErrorStream()));
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> url = new CompletableFuture<>();
    CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("server-output").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) url.complete(m.group(1));
        }
      } catch (IOException ignored) {
        // the process died; the future below reports it
      }
      url.completeExceptionally(new IllegalStateException("server exited before listening: " + output + (errors == null ? "" : " " + errors.all())));
      outputEnded.complete(null);
    });
    try {
      return new ServerProcess(p, url.get(60, TimeUnit.SECONDS), output, errors == null ? new Lines() : errors, outputEnded);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("server did not start: " + output + (errors == null ? "" : " " + errors.all()), e);
    }
  }

  /** The base URL, {@code http://127.0.0.1:port}. */
  public String url() {
    return url;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public HttpClientForTests http() {
    return new HttpClientForTests(url);
  }

  /**
   * SIGTERM, as an operator's stop or an orchestrator sends it: the server drains and exits. Through the
   * process handle: {@code Process.destroy()} also closes our end of the child's output, so what the
   * server logs while it stops would be lost.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Waits for the process to end; false if it is still running after {@code timeout}. */
  public boolean waitForExit(java.time.Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return false;
    try {
      outputEnded.get(10, TimeUnit.SECONDS); // every line it printed is in output()
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the output of the ended server was not read to its end", e);
    }
    return true;
  }

  /** SIGKILL: no shutdown hook, no flush, nothing but what is already on disk survives. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public List<String> output() {
    return List.copyOf(output);
  }

  /** Every stderr line so far, when it is kept apart. */
  public List<String> errors() {
    return errors.all();
  }

  /** Waits (at most {@code seconds}) for a stderr line that matches, and returns it; fails the test without one. */
  public String awaitError(java.util.function.Predicate<String> matches, int seconds) throws InterruptedException {
    return errors.await(matches, seconds);
  }

  /** Lines read from a stream as they come, with a wait for one that matches. */
  private static final class Lines {
    private final List<String> lines = new ArrayList<>();

    void readAll(java.io.InputStream in) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (this) {
            lines.add(line);
            notifyAll();
          }
        }
      } catch (IOException ignored) {
        // the process died: the lines so far are all there is
      }
    }

    synchronized List<String> all() {
      return List.copyOf(lines);
    }

    synchronized String await(java.util.function.Predicate<String> matches, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      for (int seen = 0; ; ) {
        for (; seen < lines.size(); seen++) {
          if (matches.test(lines.get(seen))) return lines.get(seen);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("no such line on stderr within " + seconds + " s: " + lines);
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
