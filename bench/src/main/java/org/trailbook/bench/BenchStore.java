package org.trailbook.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which store one Trailbook side of the benchmark runs on, and on how many nodes: the embedded
 * file store (one node: a data directory has one owner), or PostgreSQL ({@code serve --store}) with
 * 1 to 3 nodes sharing one database. Several are measured in one run, each beside the peer.
 */
record BenchStore(Kind kind, int nodes) {
  enum Kind {
    FILE, POSTGRESQL;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final int MAX_NODES = 3;

  BenchStore {
    if (nodes < 1 || nodes > MAX_NODES) throw new IllegalArgumentException("--nodes must be from 1 to " + MAX_NODES + ", not " + nodes);
    if (kind == Kind.FILE && nodes != 1) throw new IllegalArgumentException("the file store runs on one node only");
  }

  /** How the report names this side: {@code file}, {@code postgresql}, {@code postgresql x3}. */
  String label() {
    return nodes == 1 ? kind.wireName() : kind.wireName() + " x" + nodes;
  }

  /** A name for directories and databases: {@code file}, {@code postgresql_3}. */
  String slug() {
    return kind == Kind.FILE ? "file" : kind.wireName() + "_" + nodes;
  }

  /**
   * The sides {@code --store a,b} and {@code --nodes n} ask for, in the order given: {@code nodes}
   * applies to the PostgreSQL store (the file store always has one node), so more than one node
   * needs {@code postgresql} among the stores.
   *
   * @throws IllegalArgumentException naming the option when a value is not allowed
   */
  static List<BenchStore> parse(List<String> stores, int nodes) {
    if (nodes < 1 || nodes > MAX_NODES) throw new IllegalArgumentException("--nodes must be from 1 to " + MAX_NODES + ", not " + nodes);
    Set<Kind> kinds = new LinkedHashSet<>();
    for (String s : stores) {
      String name = s.strip().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) continue;
      Kind k = switch (name) {
        case "file" -> Kind.FILE;
        case "postgresql", "postgres", "pg" -> Kind.POSTGRESQL;
        default -> throw new IllegalArgumentException("--store takes file, postgresql or both (file,postgresql), not '" + s.strip() + "'");
      };
      if (!kinds.add(k)) throw new IllegalArgumentException("--store names " + k.wireName() + " twice");
    }
    if (kinds.isEmpty()) throw new IllegalArgumentException("--store needs file, postgresql or both (file,postgresql)");
    if (nodes > 1 && !kinds.contains(Kind.POSTGRESQL)) {
      throw new IllegalArgumentException("--nodes " + nodes + " needs --store postgresql: the file store runs on one node only");
    }
    List<BenchStore> out = new ArrayList<>();
    for (Kind k : kinds) out.add(new BenchStore(k, k == Kind.FILE ? 1 : nodes));
    return out;
  }
}
