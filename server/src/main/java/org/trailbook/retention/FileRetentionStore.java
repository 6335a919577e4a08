package org.trailbook.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.trailbook.AtomicFiles;
import org.trailbook.Json;
import org.trailbook.JsonFileFormat;
import org.trailbook.TrailbookException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Retention settings in {@code DIR/retention/retention.json}, the embedded default: small and rarely written, so every
 * change rewrites the file atomically (temp file, fsync, rename; owner-only like every file of the server). A change
 * whose file cannot be written is undone in memory too, so what is served is always what is stored. The file is
 * {@code {"format":"trailbook.retention","version":1,"policies":{ws:{"days","archive"}},"plans":{name:{"max_days"}},
 * "plans_of":{ws:name},"holds":[{"id","workspace","reason","placed_at","ends_at","released_at","placed_by"}]}}, times
 * in RFC 3339 UTC.
 */
public final class FileRetentionStore implements RetentionStore {
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.retention", 1);
  private final Path file;
  private final Map<String, RetentionPolicy> policies = new TreeMap<>();
  private final Map<String, RetentionPlan> plans = new TreeMap<>();
  private final Map<String, String> plansOf = new TreeMap<>();
  private final List<LegalHold> holds = new ArrayList<>();

  private FileRetentionStore(Path file) {
    this.file = file;
  }

  /** Opens (or starts) the store in {@code dir}. */
  public static FileRetentionStore open(Path dir) {
    FileRetentionStore s = new FileRetentionStore(dir.resolve("retention.json"));
    try {
      org.trailbook.OwnerOnly.directories(dir);
      if (Files.exists(s.file)) s.load(FORMAT.read(s.file, Files.readAllBytes(s.file)).body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + s.file, e);
    }
    return s;
  }

  @Override
  public synchronized Optional<RetentionPolicy> policy(String workspace) {
    return Optional.ofNullable(policies.get(workspace));
  }

  @Override
  public synchronized Optional<RetentionPolicy> setPolicy(String workspace, RetentionPolicy policy) {
    RetentionPolicy before = policies.put(workspace, policy);
    saveOrUndo(() -> restore(policies, workspace, before));
    return Optional.ofNullable(before);
  }

  @Override
  public synchronized List<RetentionPlan> plans() {
    return List.copyOf(plans.values());
  }

  @Override
  public synchronized Optional<RetentionPlan> plan(String name) {
    return Optional.ofNullable(plans.get(name));
  }

  @Override
  public synchronized Optional<RetentionPlan> putPlan(RetentionPlan plan) {
    RetentionPlan before = plans.put(plan.name(), plan);
    saveOrUndo(() -> restore(plans, plan.name(), before));
    return Optional.ofNullable(before);
  }

  @Override
  public synchronized Optional<String> planOf(String workspace) {
    return Optional.ofNullable(plansOf.get(workspace));
  }

  @Override
  public synchronized Optional<String> assignPlan(String workspace, String planName) {
    String before = planName == null ? plansOf.remove(workspace) : plansOf.put(workspace, planName);
    saveOrUndo(() -> restore(plansOf, workspace, before));
    return Optional.ofNullable(before);
  }

  @Override
  public synchronized List<String> workspacesOn(String planName) {
    return plansOf.entrySet().stream().filter(e -> e.getValue().equals(planName)).map(Map.Entry::getKey).toList();
  }

  @Override
  public synchronized LegalHold placeHold(LegalHold hold) {
    holds.add(hold);
    saveOrUndo(() -> holds.removeLast());
    return hold;
  }

  @Override
  public synchronized List<LegalHold> holds(String workspace) {
    return holds.stream().filter(h -> h.workspace().equals(workspace)).toList();
  }

  @Override
  public synchronized Optional<LegalHold> releaseHold(String workspace, String id, Instant at) {
    for (int i = 0; i < holds.size(); i++) {
      LegalHold h = holds.get(i);
      if (!h.workspace().equals(workspace) || !h.id().equals(id)) continue;
      if (h.releasedAt() != null) throw RetentionStore.alreadyReleased(h);
      int index = i;
      holds.set(index, h.releasedAt(at));
      saveOrUndo(() -> holds.set(index, h));
      return Optional.of(holds.get(index));
    }
    return Optional.empty();
  }

  private static <T> void restore(Map<String, T> map, String key, T before) {
    if (before == null) map.remove(key);
    else map.put(key, before);
  }

  private void saveOrUndo(Runnable undo) {
    try {
      AtomicFiles.replace(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(FORMAT.stamp(toJson())));
    } catch (IOException | RuntimeException e) {
      undo.run();
      throw e instanceof IOException io ? new UncheckedIOException("cannot write " + file, io) : (RuntimeException) e;
    }
  }

  private ObjectNode toJson() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode p = body.putObject("policies");
    policies.forEach((ws, policy) -> p.putObject(ws).put("days", policy.days()).put("archive", policy.archive()));
    ObjectNode pl = body.putObject("plans");
    plans.forEach((name, plan) -> pl.putObject(name).put("max_days", plan.maxDays()));
    ObjectNode of = body.putObject("plans_of");
    plansOf.forEach(of::put);
    var hs = body.putArray("holds");
    for (LegalHold h : holds) {
      hs.addObject().put("id", h.id()).put("workspace", h.workspace()).put("reason", h.reason()).put("placed_at", time(h.placedAt()))
          .put("ends_at", time(h.endsAt())).put("released_at", time(h.releasedAt())).put("placed_by", h.placedBy());
    }
    return body;
  }

  private void load(JsonNode body) {
    try {
      body.required("policies").properties().forEach(e ->
          policies.put(e.getKey(), new RetentionPolicy(days(e.getValue().required("days")), e.getValue().required("archive").asBoolean())));
      body.required("plans").properties().forEach(e -> plans.put(e.getKey(), new RetentionPlan(e.getKey(), days(e.getValue().required("max_days")))));
      body.required("plans_of").properties().forEach(e -> plansOf.put(e.getKey(), e.getValue().asString()));
      for (JsonNode h : body.required("holds")) {
        holds.add(new LegalHold(h.required("id").asString(), h.required("workspace").asString(), h.required("reason").asString(),
            instant(h.required("placed_at")), instant(h.get("ends_at")), instant(h.get("released_at")), h.required("placed_by").asString()));
      }
    } catch (RuntimeException e) {
      throw new TrailbookException(file + " is damaged: " + e.getMessage());
    }
  }

  private static Integer days(JsonNode n) {
    return n.isNull() ? null : n.intValue();
  }

  private static String time(Instant t) {
    return t == null ? null : org.trailbook.Times.format(t);
  }

  private static Instant instant(JsonNode n) {
    return n == null || n.isNull() ? null : Instant.parse(n.asString());
  }
}
