package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

/** A tiny client over real sockets for the HTTP tests. */
public final class HttpClientForTests {
  private final String base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public HttpClientForTests(String base) {
    this.base = base;
  }

  /** A response with its status, headers and body. */
  public record Response(int status, HttpResponse<byte[]> raw) {
    public String body() {
      return new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      return Json.MAPPER.readTree(raw.body());
    }

    public Response expect(int expected) {
      assertThat(status).as("status of %s: %s", raw.uri(), body()).isEqualTo(expected);
      return this;
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Response get(String path, String key) {
    return send(builder(path, key).GET());
  }

  public Response delete(String path, String key) {
    return send(builder(path, key).DELETE());
  }

  public Response post(String path, String key, String json) {
    return post(path, key, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Response put(String path, String key, String json) {
    HttpRequest.Builder b = builder(path, key).PUT(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
    return send(b);
  }

  public Response post(String path, String key, String contentType, byte[] body) {
    HttpRequest.Builder b = builder(path, key).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) b.header("Content-Type", contentType);
    return send(b);
  }

  private HttpRequest.Builder builder(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return b;
  }

  private Response send(HttpRequest.Builder b) {
    try {
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
