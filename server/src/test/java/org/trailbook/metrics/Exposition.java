package org.trailbook.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition as samples, and Prometheus's own checker ({@code promtool check metrics}) run on it. */
final class Exposition {
  /** One sample line: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\S+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  final String text;
  final List<Sample> samples = new ArrayList<>();

  Exposition(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = LINE.matcher(line);
      assertThat(m.matches()).as("a sample line: %s", line).isTrue();
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) labels.put(l.group(1), l.group(2));
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
  }

  /**
   * The value of the one sample named {@code name} whose labels include {@code labels} (pairs), 0 when there is none
   * (a labelled counter appears with its first increment).
   */
  double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    assertThat(found).as("samples %s %s", name, List.of(labels)).hasSizeLessThanOrEqualTo(1);
    return found.isEmpty() ? 0 : found.getFirst().value();
  }

  /** The value of a sample that must be there. */
  double required(String name, String... labels) {
    List<Sample> found = find(name, labels);
    assertThat(found).as("exactly one sample %s %s in:\n%s", name, List.of(labels), text).hasSize(1);
    return found.getFirst().value();
  }

  List<Sample> find(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name().equals(name)) continue;
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) all &= labels[i + 1].equals(s.labels().get(labels[i]));
      if (all) out.add(s);
    }
    return out;
  }

  /**
   * Runs {@code promtool check metrics} with the exposition on its standard input: its exit status (0: valid, no lint
   * problem) and everything it printed. Fails, never skips, when promtool cannot be run: CI installs it (.ci/run).
   */
  static Result promtool(String exposition) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail("promtool cannot be run (" + e.getMessage() + "): install Debian's 'prometheus' package "
          + "(apt-get install -y prometheus), which provides /usr/bin/promtool; .ci/run does this");
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = p.getInputStream()) {
        in.transferTo(printed);
      } catch (IOException ignored) {
        // the process ended; what it printed so far is kept
      }
    });
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished within 60 s").isTrue();
    reader.join();
    return new Result(p.exitValue(), printed.toString(StandardCharsets.UTF_8));
  }

  /** What promtool said. */
  record Result(int exitCode, String output) {}
}
