package org.trailbook.archive;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.TrailbookException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Where archives go, from {@code TRAILBOOK_ARCHIVE_TARGET}: a directory ({@code /path} or {@code file:///path}) or
 * S3-compatible storage ({@code s3://bucket/prefix}, with {@code TRAILBOOK_ARCHIVE_S3_ENDPOINT} for a server other
 * than AWS and {@code TRAILBOOK_ARCHIVE_S3_REGION}, default {@code us-east-1}); unset: archiving is off. Checked at
 * start: a value that cannot work stops the server with a message naming the variable and the rule.
 *
 * @param directory the target directory, or null
 * @param bucket the S3 bucket, or null
 * @param prefix the S3 key prefix: empty or ending in '/'
 * @param endpoint the S3-compatible server, or null for AWS
 */
public record ArchiveConfig(Path directory, String bucket, String prefix, URI endpoint, String region) {
  private static final Logger log = LoggerFactory.getLogger(ArchiveConfig.class);
  public static final ArchiveConfig OFF = new ArchiveConfig(null, null, "", null, "us-east-1");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9._-]+/)*");

  public static ArchiveConfig fromEnvironment(Map<String, String> env) {
    String target = blankToNull(env.get("TRAILBOOK_ARCHIVE_TARGET"));
    String endpointText = blankToNull(env.get("TRAILBOOK_ARCHIVE_S3_ENDPOINT"));
    String region = blankToNull(env.get("TRAILBOOK_ARCHIVE_S3_REGION"));
    boolean s3 = target != null && target.startsWith("s3://");
    if (!s3 && (endpointText != null || region != null)) {
      throw new TrailbookException("TRAILBOOK_ARCHIVE_S3_ENDPOINT and TRAILBOOK_ARCHIVE_S3_REGION go with TRAILBOOK_ARCHIVE_TARGET=s3://bucket/prefix"
          + (target == null ? ", which is not set" : ", not '" + target + "'"));
    }
    if (target == null) return OFF;
    if (!s3) return new ArchiveConfig(directory(target), null, "", null, "us-east-1");
    String rest = target.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (!prefix.isEmpty() && !prefix.endsWith("/")) prefix += "/";
    if (!BUCKET.matcher(bucket).matches()) {
      throw new TrailbookException("TRAILBOOK_ARCHIVE_TARGET: '" + bucket + "' is not an S3 bucket name (3 to 63 lowercase letters, digits, '.' or '-')");
    }
    if (!PREFIX.matcher(prefix).matches()) {
      throw new TrailbookException("TRAILBOOK_ARCHIVE_TARGET: the key prefix '" + prefix + "' may hold only letters, digits, '.', '_', '-' and '/' between names");
    }
    URI endpoint = endpointText == null ? null : endpoint(endpointText);
    if (region != null && !REGION.matcher(region).matches()) {
      throw new TrailbookException("TRAILBOOK_ARCHIVE_S3_REGION must be a region name like us-east-1, not '" + region + "'");
    }
    return new ArchiveConfig(null, bucket, prefix, endpoint, region == null ? "us-east-1" : region);
  }

  public boolean enabled() {
    return directory != null || bucket != null;
  }

  /**
   * Opens the target: creates the directory, or checks that the SDK's default chain has S3 credentials (a start
   * error if not). An unreachable bucket is only logged: the log keeps taking events, and the purger does not purge
   * a range it could not archive.
   */
  public ArchiveTarget open() {
    if (!enabled()) throw new IllegalStateException("archiving is off");
    if (directory != null) return new DirectoryTarget(directory);
    try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
      chain.resolveCredentials();
    } catch (SdkException e) {
      throw new TrailbookException("TRAILBOOK_ARCHIVE_TARGET is " + describe() + " but the AWS SDK finds no credentials: set AWS_ACCESS_KEY_ID and "
          + "AWS_SECRET_ACCESS_KEY (or another source of its default chain)");
    }
    S3Target target = new S3Target(bucket, prefix, endpoint, region);
    try {
      target.check();
    } catch (ArchiveException e) {
      log.warn("archives cannot be stored for now (ranges are not purged until they are): {}", e.getMessage());
    }
    return target;
  }

  public String describe() {
    if (directory != null) return directory.toUri().toString();
    if (bucket != null) return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
    return "off";
  }

  private static Path directory(String target) {
    Path p;
    if (target.startsWith("file:")) {
      try {
        p = Path.of(new URI(target));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new TrailbookException("TRAILBOOK_ARCHIVE_TARGET: '" + target + "' is not a file:///absolute/path URI");
      }
    } else if (target.startsWith("/")) {
      p = Path.of(target);
    } else {
      throw new TrailbookException("TRAILBOOK_ARCHIVE_TARGET must be an absolute directory (/path or file:///path) or s3://bucket/prefix, not '"
          + target + "'");
    }
    return p.normalize();
  }

  private static URI endpoint(String text) {
    try {
      URI u = new URI(text);
      if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null) throw new URISyntaxException(text, "not http(s)");
      return u;
    } catch (URISyntaxException e) {
      throw new TrailbookException("TRAILBOOK_ARCHIVE_S3_ENDPOINT must be an http:// or https:// URL like https://minio.example:9000, not '" + text + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
