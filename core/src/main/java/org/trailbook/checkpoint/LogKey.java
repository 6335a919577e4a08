package org.trailbook.checkpoint;

import org.trailbook.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log's named Ed25519 signing key, stored as a Go/C2SP signer-key string
 * {@code PRIVATE+KEY+<name>+<8 hex key ID>+<base64(0x01 || 32-byte seed)>}. It signs checkpoints as
 * C2SP signed notes. Neither {@link #toString()} nor any message ever shows the private key.
 */
public final class LogKey {
  private static final Logger log = LoggerFactory.getLogger(LogKey.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final String name;
  private final byte[] seed;
  private final PrivateKey privateKey;
  private final NoteVerifier verifier;

  private LogKey(String name, byte[] seed) {
    Ed25519.checkKeyName(name);
    this.name = name;
    this.seed = seed.clone();
    this.privateKey = Ed25519.privateKey(seed);
    this.verifier = new NoteVerifier(name, Ed25519.publicKey(seed));
  }

  /** A new key from {@link java.security.SecureRandom}. */
  public static LogKey generate(String name) {
    return new LogKey(name, Ed25519.newSeed());
  }

  /** Parses a signer-key string, checking its key ID against the key it holds. */
  public static LogKey parse(String signerKey) {
    String[] fields = signerKey.split("\\+", 5); // the base64 key may itself contain pluses
    if (fields.length != 5 || !fields[0].equals("PRIVATE") || !fields[1].equals("KEY")) {
      throw new CheckpointException("signer key is not PRIVATE+KEY+<name>+<key id>+<base64 key>");
    }
    String what = "signer key for '" + fields[2] + "'";
    Ed25519.checkKeyName(fields[2]);
    int keyId = NoteVerifier.parseKeyId(fields[3], what);
    LogKey key = new LogKey(fields[2], NoteVerifier.decodeKey(fields[4], what));
    if (key.keyId() != keyId) {
      throw new CheckpointException(what + " has key ID " + fields[3] + " but its name and key give " + Ed25519.hex(key.keyId()));
    }
    return key;
  }

  /**
   * Loads the key in {@code file}, or creates one named {@code name} there on first use: written to a
   * temporary file with owner-only permissions, forced to disk, then renamed into place atomically.
   * An existing key must have that name.
   */
  public static LogKey loadOrCreate(Path file, String name) {
    try {
      if (Files.exists(file)) return load(file, name);
      LogKey key = generate(name);
      if (!AtomicFiles.createSecret(file, (key.signerKey() + "\n").getBytes(StandardCharsets.UTF_8))) {
        throw new FileAlreadyExistsException(file.toString());
      }
      log.info("created log key {} in {}", key.verifier.keyLabel(), file);
      return key;
    } catch (IOException e) {
      throw new CheckpointException("cannot load or create the log key in " + file + ": " + e.getMessage(), e);
    }
  }

  private static LogKey load(Path file, String name) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        log.warn("log key file {} is readable or writable by others ({}): restrict it to its owner",
            file, PosixFilePermissions.toString(permissions));
      }
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() != 1) throw new CheckpointException("log key file " + file + " has " + lines.size() + " lines, expected 1");
    LogKey key = parse(lines.getFirst().strip());
    if (!key.name.equals(name)) {
      throw new CheckpointException("log key in " + file + " is named '" + key.name + "', not '" + name + "'");
    }
    return key;
  }

  public String name() {
    return name;
  }

  public int keyId() {
    return verifier.keyId();
  }

  /** The public half as a verifier-key string {@code <name>+<hex id>+<base64(0x01 || public key)>}. */
  public String verifierKey() {
    return verifier.verifierKey();
  }

  public NoteVerifier verifier() {
    return verifier;
  }

  /** Signs {@code text} (which must end in a newline) and returns the complete signed note. */
  public String signNote(String text) {
    byte[] signature = Ed25519.sign(privateKey, text.getBytes(StandardCharsets.UTF_8));
    return new SignedNote(text, List.of(SignedNote.Signature.of(name, keyId(), signature))).format();
  }

  /** The signed note of {@code checkpoint}'s body. */
  public String sign(Checkpoint checkpoint) {
    return signNote(checkpoint.body());
  }

  /** The signer-key string: secret. */
  public String signerKey() {
    byte[] encoded = new byte[1 + seed.length];
    encoded[0] = Ed25519.ALGORITHM;
    System.arraycopy(seed, 0, encoded, 1, seed.length);
    return "PRIVATE+KEY+" + name + "+" + Ed25519.hex(keyId()) + "+" + Base64.getEncoder().encodeToString(encoded);
  }

  @Override
  public String toString() {
    return "LogKey[" + verifier.keyLabel() + "]";
  }

}
