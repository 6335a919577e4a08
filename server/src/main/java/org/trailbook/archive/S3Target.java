package org.trailbook.archive;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Archives in S3-compatible object storage through the AWS SDK v2 (its URL-connection HTTP client): object {@code
 * <prefix><workspace>/<name>} in one bucket. Files up to {@link #PART_BYTES} go up in one PUT, larger ones as a
 * multipart upload of parts of that size read one at a time, so memory stays bounded; an object appears only once the
 * upload completes, and a failed multipart upload is aborted. With an endpoint (MinIO, Ceph, S3Proxy, …) addressing is
 * path-style. Credentials come from the SDK's default chain (for example {@code AWS_ACCESS_KEY_ID} and {@code
 * AWS_SECRET_ACCESS_KEY}).
 */
public final class S3Target implements ArchiveTarget {
  /** 16 MiB: above S3's 5 MiB minimum part, and at most 10,000 parts means archives up to 160 GiB. */
  static final int PART_BYTES = 16 << 20;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix the key prefix, empty or ending in '/'
   * @param endpoint an S3-compatible server's URL, or null for AWS itself
   */
  public S3Target(String bucket, String prefix, URI endpoint, String region) {
    this.bucket = bucket;
    this.prefix = prefix;
    var builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(region))
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        // the newer default checksums are not implemented by every S3-compatible server; zstd's own checksum and the
        // SHA-256 recorded in the log protect the content
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (endpoint != null) builder.endpointOverride(endpoint).forcePathStyle(true);
    this.s3 = builder.build();
  }

  /** Checks that the bucket can be reached with the credentials; throws {@link ArchiveException} saying why not. */
  public void check() {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      throw new ArchiveException("cannot reach the archive bucket " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String put(String workspace, String name, Path file) throws IOException {
    String key = key(workspace, name);
    long size = Files.size(file);
    try {
      if (size <= PART_BYTES) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
      } else {
        multipart(key, file, size);
      }
    } catch (SdkException e) {
      throw new IOException("cannot store " + location(key) + ": " + e.getMessage(), e);
    }
    return location(key);
  }

  private void multipart(String key, Path file, long size) throws IOException {
    String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    try (InputStream in = Files.newInputStream(file)) {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buffer = new byte[PART_BYTES];
      for (int number = 1; (long) (number - 1) * PART_BYTES < size; number++) {
        int length = in.readNBytes(buffer, 0, buffer.length);
        int n = number;
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(n), RequestBody.fromBytes(
            length == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, length))).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  @Override
  public List<Stored> list(String workspace) {
    ArchiveTarget.checkSegment("workspace", workspace);
    String dir = prefix + workspace + "/";
    List<Stored> out = new ArrayList<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir)).contents()) {
      String name = o.key().substring(dir.length());
      if (name.endsWith(ArchiveFormat.SUFFIX) && !name.contains("/")) out.add(new Stored(workspace, name, o.size(), location(o.key())));
    }
    out.sort(java.util.Comparator.comparing(Stored::name));
    return out;
  }

  @Override
  public InputStream open(String workspace, String name) throws IOException {
    String key = key(workspace, name);
    try {
      return s3.getObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(location(key));
    } catch (SdkException e) {
      throw new IOException("cannot read " + location(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void close() {
    s3.close();
  }

  private String key(String workspace, String name) {
    ArchiveTarget.checkSegment("workspace", workspace);
    ArchiveTarget.checkSegment("archive name", name);
    return prefix + workspace + "/" + name;
  }

  private String location(String key) {
    return "s3://" + bucket + "/" + key;
  }
}
