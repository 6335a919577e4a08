package org.trailbook.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

/** Plain HTTP/1.1 calls with keep-alive; a non-2xx answer is an error, never a figure. */
final class Http {
  private final String base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  Http(String base) {
    this.base = base;
  }

  byte[] get(String path, String key) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key).GET().build());
  }

  JsonNode getJson(String path, String key) {
    return Json.MAPPER.readTree(get(path, key));
  }

  private final ThreadLocal<Connection1> raw = ThreadLocal.withInitial(this::connection);

  private Connection1 connection() {
    return new Connection1(base);
  }

  /**
   * GET over one plain keep-alive connection per thread: what the query measures use, so they time
   * the server rather than a client library.
   */
  byte[] getRaw(String path, String key) {
    try {
      Connection1.Response r = raw.get().get(path, key);
      if (r.status() != 200) throw new IllegalStateException("GET " + path + " answered " + r.status() + ": " + new String(r.body()));
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    }
  }

  byte[] post(String path, String key, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  byte[] put(String path, String key, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
        .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private byte[] send(HttpRequest req) {
    for (int attempt = 0; ; attempt++) {
      try {
        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if ((r.statusCode() == 503 || r.statusCode() == 429) && attempt < 100) {
          // the server asked us to come back: honour Retry-After, as a well-behaved client does
          long wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
          Thread.sleep(Math.min(wait * 1000, 2000));
          continue;
        }
        if (r.statusCode() / 100 != 2) {
          throw new IllegalStateException(req.method() + " " + req.uri() + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        return r.body();
      } catch (IOException e) {
        throw new IllegalStateException(req.method() + " " + req.uri() + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
