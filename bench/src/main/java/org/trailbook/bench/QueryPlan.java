package org.trailbook.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

/**
 * What the queries may ask for, learned from the stored entries (categories and resources per
 * workspace, the largest workspace), and the seeded random choice of each query's parameters.
 */
final class QueryPlan {
  final Instant end;
  final List<String> workspaces = new ArrayList<>();
  final Map<String, Long> sizes = new HashMap<>();
  final Map<String, List<String>> categories = new HashMap<>();
  final Map<String, List<String[]>> resources = new HashMap<>();
  final String largest;

  private QueryPlan(Instant end, Path entries, long seed) throws IOException {
    this.end = end;
    Random sample = new Random(seed);
    Map<String, TreeSet<String>> cats = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(entries, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode e = Json.MAPPER.readTree(line);
        String ws = e.get("workspace").asString();
        long n = sizes.merge(ws, 1L, Long::sum);
        cats.computeIfAbsent(ws, w -> new TreeSet<>()).add(e.get("category").asString());
        JsonNode res = e.get("resource");
        if (res != null && res.has("type") && res.has("id")) {
          List<String[]> reservoir = resources.computeIfAbsent(ws, w -> new ArrayList<>());
          String[] pick = {res.get("type").asString(), res.get("id").asString()};
          if (reservoir.size() < 500) reservoir.add(pick);
          else if (sample.nextLong(n) < 500) reservoir.set(sample.nextInt(500), pick);
        }
      }
    }
    workspaces.addAll(new TreeSet<>(sizes.keySet()));
    cats.forEach((w, c) -> categories.put(w, List.copyOf(c)));
    largest = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  static QueryPlan learn(Instant end, Path entries, long seed) throws IOException {
    return new QueryPlan(end, entries, seed);
  }

  /** A workspace drawn in proportion to its size (queries land where the events are). */
  String workspace(Random r) {
    long total = sizes.values().stream().mapToLong(Long::longValue).sum();
    long x = r.nextLong(total);
    for (String w : workspaces) {
      x -= sizes.get(w);
      if (x < 0) return w;
    }
    return largest;
  }

  Instant daysBack(int days) {
    return end.minus(Duration.ofDays(days));
  }
}
