package org.trailbook.ui;

import org.trailbook.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The server's secret for signing viewer tokens and session cookies: 32 random bytes created on
 * the first start in {@code DIR/keys/viewer-token.key}, readable by the owner only, never printed.
 */
public final class ViewerSecret {
  static final String FILE = "viewer-token.key";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private ViewerSecret() {}

  /** Reads the secret in {@code keysDir}, creating it (atomically, owner-only) if it is missing. */
  public static byte[] loadOrCreate(Path keysDir) {
    Path file = keysDir.resolve(FILE);
    try {
      if (!Files.exists(file)) create(keysDir, file);
      byte[] secret = Base64.getDecoder().decode(Files.readString(file).strip());
      if (secret.length < 32) throw new IllegalStateException(file + " holds " + secret.length + " bytes; at least 32 are needed");
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the viewer-token secret " + file, e);
    }
  }

  private static void create(Path keysDir, Path file) throws IOException {
    org.trailbook.OwnerOnly.directories(keysDir);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    // if another start won the race, its secret stands and is read back
    AtomicFiles.createSecret(file, (Base64.getEncoder().encodeToString(secret) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
