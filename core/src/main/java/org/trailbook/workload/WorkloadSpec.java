package org.trailbook.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to generate: {@code events} events from {@code seed}, spread over the {@link #WINDOW} before {@code end}, over
 * {@code workspaces} with Zipf-skewed volume (the first is the largest). Same spec, same bytes.
 */
public record WorkloadSpec(long seed, long events, List<String> workspaces, Instant end) {
  public static final long DEFAULT_EVENTS = 1_000_000;
  public static final int DEFAULT_WORKSPACES = 20;
  /** The time window the events cover, ending at {@code end}. */
  public static final Duration WINDOW = Duration.ofDays(90);
  /** The Zipf exponent of workspace volume: with 20 workspaces the largest gets about a third. */
  public static final double WORKSPACE_SKEW = 1.15;
  private static final Pattern WORKSPACE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  public WorkloadSpec {
    Objects.requireNonNull(end, "end");
    if (events < 0) throw new IllegalArgumentException("events must not be negative: " + events);
    workspaces = List.copyOf(workspaces);
    if (workspaces.isEmpty()) throw new IllegalArgumentException("at least one workspace");
    if (workspaces.stream().distinct().count() != workspaces.size()) {
      throw new IllegalArgumentException("workspace ids must be distinct: " + workspaces);
    }
    for (String id : workspaces) {
      if (!WORKSPACE_ID.matcher(id).matches()) throw new IllegalArgumentException("bad workspace id: " + id);
    }
  }

  /** Workload W: {@code ws-01} … {@code ws-20}. */
  public static WorkloadSpec benchmark(long seed, long events, Instant end) {
    return new WorkloadSpec(seed, events, workspaceIds(DEFAULT_WORKSPACES), end);
  }

  /** Everything in one workspace, e.g. {@code demo}. */
  public static WorkloadSpec singleWorkspace(long seed, long events, String workspace, Instant end) {
    return new WorkloadSpec(seed, events, List.of(workspace), end);
  }

  /** {@code ws-01}, {@code ws-02}, … (two digits at least). */
  public static List<String> workspaceIds(int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) ids.add(String.format(Locale.ROOT, "ws-%02d", i));
    return ids;
  }

  /** Each workspace with its expected share of the events; the shares add up to 1. */
  public List<WorkspaceShare> shares() {
    Zipf zipf = zipf();
    List<WorkspaceShare> shares = new ArrayList<>(workspaces.size());
    for (int i = 0; i < workspaces.size(); i++) shares.add(new WorkspaceShare(workspaces.get(i), zipf.share(i)));
    return List.copyOf(shares);
  }

  Zipf zipf() {
    return new Zipf(workspaces.size(), WORKSPACE_SKEW);
  }
}
