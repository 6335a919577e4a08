package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.TrailbookException;

/** {@code TRAILBOOK_ARCHIVE_*}: each form of target, and a clear start error naming the variable for each mistake. */
class ArchiveConfigTest {
  @TempDir Path dir;

  private static ArchiveConfig of(String... kv) {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
    return ArchiveConfig.fromEnvironment(env);
  }

  @Test
  void unsetMeansOff() {
    assertThat(ArchiveConfig.fromEnvironment(Map.of()).enabled()).isFalse();
    assertThat(of("TRAILBOOK_ARCHIVE_TARGET", " ").enabled()).isFalse();
  }

  @Test
  void aDirectoryAsPathOrFileUri() {
    assertThat(of("TRAILBOOK_ARCHIVE_TARGET", "/srv/archives/../trailbook").directory()).isEqualTo(Path.of("/srv/trailbook"));
    assertThat(of("TRAILBOOK_ARCHIVE_TARGET", "file:///mnt/bucket/trail").directory()).isEqualTo(Path.of("/mnt/bucket/trail"));
    ArchiveConfig c = of("TRAILBOOK_ARCHIVE_TARGET", dir.resolve("a/b").toString());
    try (ArchiveTarget t = c.open()) {
      assertThat(t).isInstanceOf(DirectoryTarget.class);
      assertThat(Files.isDirectory(dir.resolve("a/b"))).isTrue();
    }
  }

  @Test
  void anS3BucketWithPrefixEndpointAndRegion() {
    ArchiveConfig c = of("TRAILBOOK_ARCHIVE_TARGET", "s3://audit-archive/trailbook/prod", "TRAILBOOK_ARCHIVE_S3_ENDPOINT", "http://127.0.0.1:9000",
        "TRAILBOOK_ARCHIVE_S3_REGION", "eu-west-1");
    assertThat(c.bucket()).isEqualTo("audit-archive");
    assertThat(c.prefix()).isEqualTo("trailbook/prod/");
    assertThat(c.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(c.region()).isEqualTo("eu-west-1");
    ArchiveConfig plain = of("TRAILBOOK_ARCHIVE_TARGET", "s3://audit-archive");
    assertThat(plain.prefix()).isEmpty();
    assertThat(plain.endpoint()).isNull();
    assertThat(plain.region()).isEqualTo("us-east-1");
  }

  @Test
  void mistakesNameTheVariableAndTheRule() {
    assertThatThrownBy(() -> of("TRAILBOOK_ARCHIVE_TARGET", "archives")).isInstanceOf(TrailbookException.class)
        .hasMessageContaining("TRAILBOOK_ARCHIVE_TARGET must be an absolute directory (/path or file:///path) or s3://bucket/prefix, not 'archives'");
    assertThatThrownBy(() -> of("TRAILBOOK_ARCHIVE_TARGET", "s3://Bad_Bucket/x")).hasMessageContaining("'Bad_Bucket' is not an S3 bucket name");
    assertThatThrownBy(() -> of("TRAILBOOK_ARCHIVE_TARGET", "s3://bucket/a//b")).hasMessageContaining("the key prefix 'a//b/'");
    assertThatThrownBy(() -> of("TRAILBOOK_ARCHIVE_TARGET", "s3://bucket", "TRAILBOOK_ARCHIVE_S3_ENDPOINT", "minio:9000"))
        .hasMessageContaining("TRAILBOOK_ARCHIVE_S3_ENDPOINT must be an http:// or https:// URL");
    assertThatThrownBy(() -> of("TRAILBOOK_ARCHIVE_TARGET", "s3://bucket", "TRAILBOOK_ARCHIVE_S3_REGION", "EU West"))
        .hasMessageContaining("TRAILBOOK_ARCHIVE_S3_REGION must be a region name");
    assertThatThrownBy(() -> of("TRAILBOOK_ARCHIVE_S3_ENDPOINT", "http://127.0.0.1:9000"))
        .hasMessageContaining("go with TRAILBOOK_ARCHIVE_TARGET=s3://bucket/prefix, which is not set");
    assertThatThrownBy(() -> of("TRAILBOOK_ARCHIVE_TARGET", "/srv/a", "TRAILBOOK_ARCHIVE_S3_REGION", "eu-west-1"))
        .hasMessageContaining("not '/srv/a'");
  }
}
