package org.trailbook.archive;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-API server on this machine for the tests: S3Proxy (org.gaul:s3proxy from Maven Central, copied to
 * {@code target/s3proxy/s3proxy.jar} by the build) in a child JVM over a filesystem backend in a temporary directory,
 * on a free loopback port, with one access key. Its own Jetty and SDKs stay out of the test's classpath.
 */
final class S3ProxyProcess implements AutoCloseable {
  static final String ACCESS_KEY = "trailbook-test-access";
  static final String SECRET_KEY = "trailbook-test-secret-0123456789";
  private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");

  private final Process process;
  private final URI endpoint;
  private final Path logFile;

  private S3ProxyProcess(Process process, URI endpoint, Path logFile) {
    this.process = process;
    this.endpoint = endpoint;
    this.logFile = logFile;
  }

  static S3ProxyProcess start(Path dir) throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests through Maven (generate-test-resources copies S3Proxy there)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Files.createDirectories(dir.resolve("s3-data"));
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + data,
        "jclouds.identity=" + ACCESS_KEY,
        "jclouds.credential=" + SECRET_KEY) + "\n");
    Path log = dir.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", JAR.toString(), "--properties", properties.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3ProxyProcess proxy = new S3ProxyProcess(p, URI.create("http://127.0.0.1:" + port), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!proxy.listening(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        proxy.close();
        throw new IllegalStateException("S3Proxy did not start listening on port " + port + ":\n" + Files.readString(log));
      }
      TimeUnit.MILLISECONDS.sleep(50); // polling the port with a deadline, not waiting a fixed time
    }
    return proxy;
  }

  private boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  URI endpoint() {
    return endpoint;
  }

  String log() throws IOException {
    return Files.readString(logFile);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
