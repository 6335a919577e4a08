package org.trailbook.search;

import java.util.List;
import java.util.Set;

/**
 * What {@code GET /v1/events} and {@code GET /v1/stats} filter on: AND across fields, OR within one. Empty sets and
 * null bounds filter nothing. {@code from} is inclusive and {@code to} exclusive (epoch milliseconds).
 *
 * @param actions exact actions, or prefixes written with a trailing {@code *}
 * @param actors matched against the actor's id or email
 */
public record EventFilter(
    String workspace, Long from, Long to, Set<String> types, Set<String> categories, Set<String> statuses,
    Set<String> layers, List<String> actions, Set<String> actors, Set<String> actorTypes, Set<String> resourceTypes,
    Set<String> resourceIds, Set<String> ips, QueryNode q) {

  public EventFilter {
    types = Set.copyOf(types);
    categories = Set.copyOf(categories);
    statuses = Set.copyOf(statuses);
    layers = Set.copyOf(layers);
    actions = List.copyOf(actions);
    actors = Set.copyOf(actors);
    actorTypes = Set.copyOf(actorTypes);
    resourceTypes = Set.copyOf(resourceTypes);
    resourceIds = Set.copyOf(resourceIds);
    ips = Set.copyOf(ips);
  }

  /** Everything of one workspace. */
  public static EventFilter all(String workspace) {
    return new EventFilter(workspace, null, null, Set.of(), Set.of(), Set.of(), Set.of(), List.of(), Set.of(), Set.of(), Set.of(), Set.of(),
        Set.of(), null);
  }

  /** Whether this filter lets every event of the workspace through (then the journal can be read directly). */
  public boolean matchesAll() {
    return equals(all(workspace));
  }

  /** The same filter over another time window. */
  public EventFilter withTime(Long newFrom, Long newTo) {
    return new EventFilter(workspace, newFrom, newTo, types, categories, statuses, layers, actions, actors, actorTypes, resourceTypes,
        resourceIds, ips, q);
  }
}
