package org.trailbook.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's connection to the PostgreSQL store: a HikariCP pool, and the schema brought to this
 * build's version by Flyway at open (migrations in {@code db/postgresql/V*__*.sql}; nodes starting
 * together are safe, Flyway takes a lock). Every statement has a timeout, so a stuck database shows
 * as an error (and a 503 to clients), never a hang.
 */
public final class PostgresDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

  /** Pool and timeouts; the defaults suit one node. */
  public record Options(int poolSize, Duration connectTimeout, Duration statementTimeout) {
    public static Options defaults() {
      return new Options(16, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
  }

  private final StoreUrl url;
  private final HikariDataSource pool;
  private final Options options;

  private PostgresDatabase(StoreUrl url, HikariDataSource pool, Options options) {
    this.url = url;
    this.pool = pool;
    this.options = options;
  }

  /** Connects, migrates the schema, and answers the open database; fails with a message naming the URL (never its password). */
  public static PostgresDatabase open(StoreUrl url, Options options) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url.jdbcUrl());
    c.setUsername(url.user());
    url.password().ifPresent(c::setPassword);
    c.setMaximumPoolSize(options.poolSize());
    c.setMinimumIdle(Math.min(2, options.poolSize()));
    c.setConnectionTimeout(options.connectTimeout().toMillis());
    c.setPoolName("trailbook-pg");
    // custom plans always: a generic plan made while the tables were nearly empty (sequential scans) could otherwise be
    // kept by the plan cache as they grow; every statement here is cheap to plan
    c.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan -c statement_timeout=" + options.statementTimeout().toMillis()
        + " -c idle_in_transaction_session_timeout=" + options.statementTimeout().multipliedBy(3).toMillis());
    c.addDataSourceProperty("ApplicationName", "trailbook");
    c.addDataSourceProperty("tcpKeepAlive", "true");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(c);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot connect to the store " + url + ": " + rootMessage(e), e);
    }
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/postgresql").table("trailbook_schema_history")
          .load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException("cannot bring the store's schema " + url + " up to date: " + rootMessage(e), e);
    }
    log.info("store {}: connected, schema up to date", url);
    return new PostgresDatabase(url, pool, options);
  }

  public DataSource dataSource() {
    return pool;
  }

  public StoreUrl url() {
    return url;
  }

  public Options options() {
    return options;
  }

  @Override
  public void close() {
    pool.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage();
  }
}
