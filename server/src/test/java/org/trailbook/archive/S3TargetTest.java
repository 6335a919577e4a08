package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.archive.ArchiveTestSupport.ingest;
import static org.trailbook.archive.ArchiveTestSupport.sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import org.trailbook.verify.ArchiveVerifier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 target for real: a server configured with {@code TRAILBOOK_ARCHIVE_TARGET=s3://…} and an endpoint archives
 * into S3Proxy running on this machine; the archive is listed, read back through {@link ArchiveTarget} and verifies;
 * a file larger than one part goes up as a multipart upload and comes back byte for byte. Credentials reach the SDK's
 * default chain as the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties (the server reads the
 * same chain from the environment).
 */
class S3TargetTest {
  static final String BUCKET = "trailbook-archives";
  @TempDir static Path dir;
  static S3ProxyProcess proxy;
  static TestServer server;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    proxy = S3ProxyProcess.start(dir);
    System.setProperty("aws.accessKeyId", S3ProxyProcess.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyProcess.SECRET_KEY);
    try (S3Client admin = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY)))
        .endpointOverride(proxy.endpoint()).forcePathStyle(true).build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
    }
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_ARCHIVE_TARGET", "s3://" + BUCKET + "/prod/logs",
        "TRAILBOOK_ARCHIVE_S3_ENDPOINT", proxy.endpoint().toString(), "TRAILBOOK_ARCHIVE_S3_REGION", "eu-central-1")).withDataDir(dir.resolve("data"));
    server = TestServer.start(config);
    key = server.workspaceWithKey("acme", "ingest", "read");
    ingest(server, key, "e", 40);
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) server.close();
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
      if (proxy != null) proxy.close();
    }
  }

  @Test
  void anArchiveGoesToS3IsListedReadBackAndVerifies() throws IOException {
    Archiver archiver = server.server().archiver().orElseThrow();
    assertThat(archiver.target()).isInstanceOf(S3Target.class);
    ArchiveRef ref = archiver.archive("acme", 0, 25);
    String name = ArchiveFormat.fileName(0, 25);
    assertThat(ref.location()).isEqualTo("s3://" + BUCKET + "/prod/logs/acme/" + name);
    assertThat(archiver.target().list("acme")).containsExactly(new ArchiveTarget.Stored("acme", name, ref.bytes(), ref.location()));
    assertThat(archiver.target().list("other")).isEmpty();
    assertThat(sha256(archiver.target().open("acme", name))).isEqualTo(ref.sha256());
    NoteVerifier verifier = NoteVerifier.parse(server.server().integrity().verifierKey());
    try (InputStream in = archiver.target().open("acme", name)) {
      ArchiveVerifier.Result r = ArchiveVerifier.verify(in, verifier);
      assertThat(r.ok()).as(r.line()).isTrue();
      assertThat(r.entriesChecked()).isEqualTo(25);
    }
    // the object is where the S3 API says it is: under the prefix, in the bucket
    assertThat(Files.exists(dir.resolve("s3-data").resolve(BUCKET).resolve("prod/logs/acme").resolve(name))).isTrue();
  }

  @Test
  void aFileLargerThanOnePartIsUploadedInPartsAndReadBackWhole() throws IOException {
    ArchiveTarget target = server.server().archiver().orElseThrow().target();
    Path big = dir.resolve("big.bin");
    Random random = new Random(13);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(big)) {
      for (int i = 0; i < 2 * (S3Target.PART_BYTES >> 20) + 3; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    String name = "00000000000000000100-00000000000000000200" + ArchiveFormat.SUFFIX;
    target.put("bulk", name, big);
    assertThat(target.list("bulk")).singleElement().extracting(ArchiveTarget.Stored::bytes).isEqualTo(Files.size(big));
    assertThat(sha256(target.open("bulk", name))).isEqualTo(sha256(big));
  }

  @Test
  void aMissingArchiveAndABadNameAreRefused() {
    ArchiveTarget target = server.server().archiver().orElseThrow().target();
    assertThatThrownBy(() -> target.open("acme", "nothing" + ArchiveFormat.SUFFIX)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("s3://" + BUCKET + "/prod/logs/acme/nothing");
    assertThatThrownBy(() -> target.open("../acme", "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workspace '../acme'");
  }
}
