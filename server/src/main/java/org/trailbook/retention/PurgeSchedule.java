package org.trailbook.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.integrity.SigningLease;
import org.trailbook.journal.EventStore;

/**
 * Runs a {@link Purger} pass over every workspace once a day at the purge hour (UTC, {@code TRAILBOOK_PURGE_HOUR}), as
 * the supervised part {@code purger}: it wakes every minute and compares the clock (injectable, so tests move days in
 * seconds) with the next run. With several nodes on one PostgreSQL store only the node holding the lease {@code purger}
 * purges (the embedded store: always this node). A pass that fails for some workspace is retried with back-off (every
 * workspace again: those already done find nothing to do); the day's run is done once a pass succeeds.
 */
public final class PurgeSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PurgeSchedule.class);
  static final Duration TICK = Duration.ofMinutes(1);

  private final Purger purger;
  private final EventStore store;
  private final SigningLease lease;
  private final int hour;
  private final Clock clock;
  private final PartHealth health = new PartHealth("purger", "the retention purger",
      "entries past their retention are not purged until it recovers", false);
  private volatile Instant nextRun;
  private final Supervisor supervisor;

  public PurgeSchedule(Purger purger, EventStore store, SigningLease lease, int hour, Clock clock) {
    this(purger, store, lease, hour, clock, TICK);
  }

  /** With another wake-up interval: for tests. */
  PurgeSchedule(Purger purger, EventStore store, SigningLease lease, int hour, Clock clock, Duration tick) {
    if (hour < 0 || hour > 23) throw new IllegalArgumentException("the purge hour must be 0..23, not " + hour);
    this.purger = purger;
    this.store = store;
    this.lease = lease;
    this.hour = hour;
    this.clock = clock;
    this.nextRun = nextRun(clock.instant(), hour);
    this.supervisor = Supervisor.start(Thread.ofPlatform().name("purger").daemon(true), health, tick, tick, Supervisor.Backoff.DEFAULT, this::tick);
  }

  /** The first {@code hour}:00 UTC strictly after {@code now}. */
  public static Instant nextRun(Instant now, int hour) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC).withHour(hour).withMinute(0).withSecond(0).withNano(0);
    if (!t.toInstant().isAfter(now)) t = t.plusDays(1);
    return t.toInstant();
  }

  /** When the next daily run is due. */
  public Instant nextRun() {
    return nextRun;
  }

  public PartHealth health() {
    return health;
  }

  private void tick() {
    Instant now = clock.instant();
    if (now.isBefore(nextRun)) return;
    if (lease.held()) runAll();
    nextRun = nextRun(now, hour);
  }

  /** A pass over every workspace; throws the first failure once every workspace was tried. */
  private void runAll() {
    RuntimeException first = null;
    int purged = 0;
    for (String ws : new TreeSet<>(store.workspaces())) {
      if (supervisor != null && supervisor.closing()) return;
      try {
        if (purger.run(ws).purged() != null) purged++;
      } catch (RuntimeException e) {
        if (first == null) first = e;
        else first.addSuppressed(e);
      }
      health.progressed(); // a pass over many workspaces takes long: it is no stall
    }
    if (first != null) throw first;
    log.info("purge pass: {} workspaces purged", purged);
  }

  @Override
  public void close() {
    supervisor.close();
  }
}
