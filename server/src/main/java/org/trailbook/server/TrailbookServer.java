package org.trailbook.server;

import java.time.Clock;
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
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.FileJournal;
import org.trailbook.ui.UiConfig;
import org.trailbook.ui.ViewerSecret;
import org.trailbook.ui.ViewerTokens;
import org.trailbook.views.ViewStore;
import org.trailbook.search.EventClassifier;
import org.trailbook.search.EventSearch;
import org.trailbook.search.SearchIndex;

/**
 * One Trailbook node: opens the data directory and the journal (recovering it), then starts
 * accepting HTTP. Stops in the reverse order, so everything acknowledged stays acknowledged.
 */
public final class TrailbookServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrailbookServer.class);

  private final DataDirectory data;
  private final FileJournal journal;
  private final AccessStore access;
  private final LogIntegrity integrity;
  private final IngestService ingest;
  private final SearchIndex search;
  private final StreamHub streams;
  private final Exports exports;
  private final HttpApi http;
  private final Optional<String> generatedAdminKey;
  private final ViewerTokens viewerTokens;

  private TrailbookServer(ServerConfig config, UiConfig uiConfig, Clock clock) {
    this.data = DataDirectory.lock(config.dataDir());
    try {
      this.journal = FileJournal.open(data.journal(),
          new FileJournal.Options(FileJournal.Options.defaults().segmentBytes(), config.maxPendingEvents(), FileJournal.Options.defaults().maxGroupEvents()));
      this.integrity = openIntegrity(config);
      this.access = AccessStore.open(data.access(), clock);
      this.generatedAdminKey = access.initAdminKey(config.adminKey());
      RedactionRules rules = RedactionRules.fromConfig(config.redactHeaders(), config.redactKeys());
      this.ingest = new IngestService(integrity.guard(journal), new EventBatchParser(config.limits()), new EventNormalizer(config.limits(), new Redactor(rules), new UuidV7()), clock);
      this.search = SearchIndex.open(journal, SearchIndex.Options.defaults(data.index()).withClassifier(EventClassifier.fromConfig(config.writeVerbs())));
      EventSearch eventSearch = new EventSearch(search);
      this.streams = new StreamHub(journal, eventSearch, config.stream());
      this.exports = new Exports(data.exports(), journal, eventSearch, integrity, ingest, config.exports(), clock);
      this.viewerTokens = new ViewerTokens(ViewerSecret.loadOrCreate(data.root().resolve("keys")), clock);
      HttpApi.UiParts ui = new HttpApi.UiParts(viewerTokens, ViewStore.open(data.root().resolve("views"), clock), uiConfig);
      this.http = new HttpApi(new HttpApi.Parts(access, journal, ingest, config.limits().maxBodyBytes(), config.maxInflightBytes(), config.rateLimitPerSecond(), journal::acceptsWrites, integrity,
          eventSearch, clock, streams, exports, config.bodies()), ui);
      http.start(config.host(), config.port());
    } catch (RuntimeException e) {
      data.close();
      throw e;
    }
    log.info("Trailbook listening on port {} with data in {}", http.port(), data.root().toAbsolutePath());
  }

  private LogIntegrity openIntegrity(ServerConfig config) {
    try {
      return LogIntegrity.open(data.root(), config.serverName(), journal, config.integrity());
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
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

  /** The admin key made on this data directory's first start, if none was configured. */
  public Optional<String> generatedAdminKey() {
    return generatedAdminKey;
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

  /** The search index over the journal. */
  public SearchIndex search() {
    return search;
  }

  /** The live streams' hub (counters, for tests and health). */
  public StreamHub streams() {
    return streams;
  }

  /** Export downloads and jobs. */
  public Exports exports() {
    return exports;
  }

  @Override
  public void close() {
    streams.close();
    http.stop();
    exports.close();
    search.close();
    journal.close();
    integrity.close();
    data.close();
  }
}
