package org.trailbook.server;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.access.AccessStore;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.event.RedactionRules;
import org.trailbook.event.Redactor;
import org.trailbook.event.UuidV7;
import org.trailbook.export.Exports;
import org.trailbook.stream.StreamHub;
import org.trailbook.http.HttpApi;
import org.trailbook.ingest.IngestService;
import org.trailbook.health.Liveness;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.EventStore;
import org.trailbook.health.PartHealth;
import java.util.ArrayList;
import org.trailbook.metrics.Metrics;
import org.trailbook.retention.PurgeSchedule;
import org.trailbook.retention.Purger;
import org.trailbook.retention.Retention;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.UiConfig;
import org.trailbook.ui.ViewerSecret;
import org.trailbook.ui.ViewerTokens;
import org.trailbook.search.EventClassifier;
import org.trailbook.search.EventSearch;
import org.trailbook.search.SearchIndex;
import org.trailbook.search.SearchOptions;

/**
 * One Trailbook node: opens the data directory and the journal (recovering it), then starts
 * accepting HTTP. Stops in the reverse order, so everything acknowledged stays acknowledged.
 */
public final class TrailbookServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrailbookServer.class);

  private final DataDirectory data;
  private final Storage storage;
  private final EventStore journal;
  private final AccessStore access;
  private final LogIntegrity integrity;
  private final IngestService ingest;
  private final SearchIndex search;
  private final StreamHub streams;
  private final Exports exports;
  private final HttpApi http;
  private final Liveness liveness;
  private final Optional<String> generatedAdminKey;
  private final ViewerTokens viewerTokens;
  private final Closer parts = new Closer();
  private final SessionStore sessions;
  private final Metrics metrics;
  private final Purger purger;
  private final PurgeSchedule purgeSchedule;
  private final org.trailbook.integrity.SigningLease purgeLease;
  private final Retention retention;
  private final Optional<org.trailbook.archive.Archives> archives;

  private TrailbookServer(ServerConfig config, UiConfig uiConfig, Clock clock) {
    Storage store;
    try {
      this.data = parts.add("data directory", DataDirectory.lock(config.dataDir()));
      // the event store (and the other stores) close after the trees: by then the HTTP server and every part
      // that appends are closed, so the tree appender follows the log's last commits, and a last checkpoint covers them
      store = Storage.open(config, data, clock, parts);
      this.storage = store;
      this.journal = store.events();
      this.access = store.access();
      checkOneLogKey(store, config); // before anything could sign with another key
      this.integrity = parts.add("trees and checkpoints", LogIntegrity.open(data.root(), config.serverName(), journal, store.checkpoints(),
          store.secrets(), store.signingLease(), config.integrity()));
      this.ingest = ingestService(config, integrity.guard(journal), clock);
      // archives (retention): staged in the node's data directory, then put on the target
      this.archives = config.archive().enabled() ? Optional.of(archives(config, data, store, integrity, clock)) : Optional.empty();
      this.search = parts.add("search index", SearchIndex.open(journal,
          SearchOptions.defaults(data.index()).withClassifier(EventClassifier.fromConfig(config.writeVerbs()))));
      EventSearch eventSearch = new EventSearch(search);
      StreamHub hub = parts.add("stream dispatcher", new StreamHub(journal, eventSearch, config.stream()));
      this.streams = hub;
      access.addRevocationListener(k -> hub.revoked(k.id())); // revoking a key ends its open streams at once (on every node)
      this.exports = parts.add("export runner", new Exports(store.exportJobs(), store.exportFiles(), journal, eventSearch, integrity, ingest,
          config.exports(), clock));
      this.retention = new Retention(store.retention(), config.retention(), clock);
      this.purger = new Purger(journal, ingest, Purger.rulesOf(retention), integrity::latestCheckpointSize,
          archives.map(a -> Purger.archiveStep(a.archiver())).orElse(Purger.ArchiveStep.NONE), clock);
      this.purgeLease = store.database().isPresent()
          ? parts.add("purger lease", org.trailbook.postgres.PostgresSigningLease.start(config.store().orElseThrow(), "purger",
              config.nodeLabel(config.port()), org.trailbook.postgres.PostgresSigningLease.Options.defaults()))
          : new org.trailbook.integrity.SingleNodeLease();
      this.purgeSchedule = parts.add("purger", new PurgeSchedule(purger, journal, purgeLease, config.retention().purgeHour(), clock));
      // every background part, in one list the probes read (and metrics can bind): the first two block
      // writes (the embedded journal and the tree appender stay failed until a restart); the others are retried
      List<PartHealth> health = new ArrayList<>(List.of(journal.health(), integrity.treeAppenderHealth(), search.health(), search.refresherHealth(),
          integrity.signerHealth(), integrity.scrubberHealth(), hub.health(), exports.runnerHealth(), exports.cleanerHealth(),
          purgeSchedule.health()));
      store.signingLease().health().ifPresent(health::add);
      this.liveness = new Liveness(health);
      this.viewerTokens = new ViewerTokens(ViewerSecret.load(store.secrets()), clock);
      this.sessions = store.sessions();
      sessions.addEndListener(ended -> hub.revoked(ended.session().keyId())); // so does ending a page session
      this.metrics = parts.add("metrics", new Metrics());
      metrics.bind(journal, integrity, search, streams, exports, liveness);
      metrics.bindRetention(purger);
      HttpApi.UiParts ui = new HttpApi.UiParts(viewerTokens, sessions, store.views(), uiConfig);
      this.http = new HttpApi(new HttpApi.Parts(access, journal, ingest, config.limits().maxBodyBytes(), config.maxInflightBytes(), config.rateLimitPerSecond(), liveness, integrity,
          eventSearch, clock, streams, exports, config.bodies(), config.shutdownTimeout(),
          new org.trailbook.health.DiskSpace(data.root(), config.minFreeDiskBytes()), retention, archives, purger), ui, metrics);
      parts.add("HTTP server", http::stop);
      // closed before the HTTP server, which waits for open requests: a live stream is one
      parts.add("live streams", hub);
      http.start(config.host(), config.port());
      // only once the server listens: a first start that fails (port taken, ...) leaves no admin
      // key behind that nobody saw, so the next successful first start still makes and prints one
      this.generatedAdminKey = access.initAdminKey(config.adminKey());
    } catch (RuntimeException | Error e) {
      parts.close();
      throw e;
    }
    log.info("Trailbook listening on port {} with {}", http.port(), store.describe(data));
  }

  /**
   * The archive target, the archiver (staging in DIR/archive-staging) and the restored views: in the store's tables on
   * PostgreSQL (every node serves them), in DIR/restored on the embedded store.
   */
  private org.trailbook.archive.Archives archives(ServerConfig config, DataDirectory data, Storage store, LogIntegrity integrity, Clock clock) {
    org.trailbook.archive.ArchiveTarget target = parts.add("archive target", config.archive().open());
    log.info("archives go to {}", config.archive().describe());
    org.trailbook.archive.RestoredViews views = store.database()
        .<org.trailbook.archive.RestoredViews>map(org.trailbook.postgres.PostgresRestoredViews::new)
        .orElseGet(() -> new org.trailbook.archive.FileRestoredViews(data.root().resolve("restored")));
    return new org.trailbook.archive.Archives(
        new org.trailbook.archive.Archiver(store.events(), integrity, target, data.root().resolve("archive-staging"), clock),
        new org.trailbook.archive.RestoredArchives(views, target, org.trailbook.checkpoint.NoteVerifier.parse(integrity.verifierKey()), clock));
  }

  /**
   * With several nodes every checkpoint must verify with one key: the store records the verifier key of
   * the first node that started on it, and a node configured with another key ({@code TRAILBOOK_LOG_KEY})
   * refuses to start rather than sign checkpoints no auditor could check against the others.
   */
  private static void checkOneLogKey(Storage store, ServerConfig config) {
    if (store.database().isEmpty()) return;
    String mine = org.trailbook.integrity.LogKeys.of(store.secrets(), config.serverName(), config.integrity().logKey()).verifierKey();
    String recorded = store.secrets().getOrCreate("log.verifier", () -> mine);
    if (!recorded.equals(mine)) {
      throw new org.trailbook.TrailbookException("this node's log key (" + mine + ") is not the one the store's log is signed with ("
          + recorded + "): give every node the same TRAILBOOK_LOG_KEY, or none (then the store's own key is used)");
    }
  }

  /** The write path's front half with the configured limits and redaction rules (also used offline by the CLI). */
  public static IngestService ingestService(ServerConfig config, org.trailbook.journal.EventStore guardedStore, Clock clock) {
    RedactionRules rules = RedactionRules.fromConfig(config.redactHeaders(), config.redactKeys());
    return new IngestService(guardedStore, new EventBatchParser(config.limits()), new EventNormalizer(config.limits(), new Redactor(rules), new UuidV7()), clock);
  }

  public static TrailbookServer start(ServerConfig config) {
    return start(config, UiConfig.DEFAULTS);
  }

  /** Starts with the web page's settings ({@code TRAILBOOK_RESOURCE_URLS}, {@code TRAILBOOK_PUBLIC_URL}). */
  public static TrailbookServer start(ServerConfig config, UiConfig uiConfig) {
    return new TrailbookServer(config, uiConfig, Clock.systemUTC());
  }

  /** With a given clock (receive times, time-range presets): for tests. */
  public static TrailbookServer start(ServerConfig config, Clock clock) {
    return new TrailbookServer(config, UiConfig.DEFAULTS, clock);
  }

  public int port() {
    return http.port();
  }

  /** The data directory this node runs on. */
  public java.nio.file.Path dataDir() {
    return data.root();
  }

  /** The admin key made on this data directory's first start, if none was configured. */
  public Optional<String> generatedAdminKey() {
    return generatedAdminKey;
  }

  /** The log (the embedded journal or the PostgreSQL store), unguarded: for tests and tools that read it. */
  public EventStore events() {
    return journal;
  }

  public AccessStore access() {
    return access;
  }

  public IngestService ingest() {
    return ingest;
  }

  /** Trees, checkpoints and the scrubber of every workspace log. */
  public LogIntegrity integrity() {
    return integrity;
  }

  public HttpApi http() {
    return http;
  }

  /** Mints viewer tokens for the web page (the demo prints a login link with it). */
  public ViewerTokens viewerTokens() {
    return viewerTokens;
  }

  /**
   * Page sessions and used sign-in links. {@link SessionStore#addEndListener} tells when a session
   * ends early (sign-out, key revocation, an admin), e.g. to close the live streams it opened.
   */
  public SessionStore sessions() {
    return sessions;
  }

  /** The search index over the journal. */
  public SearchIndex search() {
    return search;
  }

  /** The live streams' hub (counters, for tests and health). */
  public StreamHub streams() {
    return streams;
  }

  /** The health of every part the write path depends on (what {@code /healthz} and {@code /readyz} read). */
  public Liveness liveness() {
    return liveness;
  }

  /** The Prometheus registry behind {@code GET /metrics}. */
  public Metrics metrics() {
    return metrics;
  }

  /** The retention purger (a pass over one workspace at once: {@link Purger#run}). */
  public Purger purger() {
    return purger;
  }

  /** The daily purge schedule (its next run, its health). */
  public PurgeSchedule purgeSchedule() {
    return purgeSchedule;
  }

  /** Retention policies, plans and legal holds: what the purger applies to each workspace. */
  public Retention retention() {
    return retention;
  }

  /** Writes archives of log ranges before they are purged; empty when {@code TRAILBOOK_ARCHIVE_TARGET} is not set. */
  public Optional<org.trailbook.archive.Archiver> archiver() {
    return archives.map(org.trailbook.archive.Archives::archiver);
  }

  /** Archives brought back as read-only views; empty when {@code TRAILBOOK_ARCHIVE_TARGET} is not set. */
  public Optional<org.trailbook.archive.RestoredArchives> restoredArchives() {
    return archives.map(org.trailbook.archive.Archives::restored);
  }

  /** Export downloads and jobs. */
  public Exports exports() {
    return exports;
  }

  /** Stops accepting requests, lets open ones finish, then closes every part, each even when another fails. */
  @Override
  public void close() {
    parts.close();
  }
}
