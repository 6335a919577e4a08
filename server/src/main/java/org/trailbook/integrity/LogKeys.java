package org.trailbook.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.trailbook.AtomicFiles;
import org.trailbook.TrailbookException;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.secrets.ServerSecrets;

/** Where the log's signer key comes from: configuration, or the store's secrets (made on first use, shared by every node). */
public final class LogKeys {
  private LogKeys() {}

  /**
   * The key from configuration, or the store's {@code log.key} secret (created on first start: a file in
   * {@code keys/}, or a row every node shares); {@code keys/log.pub} gets the verifier key.
   */
  static LogKey load(Path keys, ServerSecrets secrets, String serverName, String configured) {
    LogKey key = of(secrets, serverName, configured);
    try {
      org.trailbook.OwnerOnly.directories(keys);
      Path pub = keys.resolve("log.pub");
      String text = key.verifierKey() + "\n";
      if (!Files.exists(pub) || !Files.readString(pub).equals(text)) {
        AtomicFiles.replace(pub, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the verifier key to " + keys.resolve("log.pub"), e);
    }
    return key;
  }

  /** The log's signer key: the configured one ({@code TRAILBOOK_LOG_KEY}), else the store's {@code log.key} secret, made on first use. */
  public static LogKey of(ServerSecrets secrets, String serverName, String configured) {
    LogKey key;
    if (configured != null) {
      key = LogKey.parse(configured);
      if (!key.name().equals(serverName)) {
        throw new TrailbookException("TRAILBOOK_LOG_KEY is named '" + key.name() + "' but the server name (TRAILBOOK_NAME) is '" + serverName + "'");
      }
    } else {
      key = LogKey.parse(secrets.getOrCreate("log.key", () -> LogKey.generate(serverName).signerKey()));
      if (!key.name().equals(serverName)) {
        throw new TrailbookException("the stored log key is named '" + key.name() + "', not '" + serverName + "' (TRAILBOOK_NAME)");
      }
    }
    return key;
  }
}
