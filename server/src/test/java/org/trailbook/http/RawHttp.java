package org.trailbook.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP/1.1 request over a raw loopback socket, for tests that must control the body byte by
 * byte: declare a length and send less, trickle, or hang up half-way. A virtual thread reads the
 * response as soon as the server sends one, even while the body is still being sent.
 */
public final class RawHttp implements AutoCloseable {
  /** A parsed response. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      return Json.MAPPER.readTree(body);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final CompletableFuture<Response> response = new CompletableFuture<>();

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    Thread.ofVirtual().start(() -> {
      try {
        response.complete(read(in));
      } catch (IOException | RuntimeException e) {
        response.completeExceptionally(e);
      }
    });
  }

  /** An ingest batch (a JSON array of valid events) of about {@code bytes}, for tests that need a large valid body. */
  public static byte[] batchOfAbout(int bytes) {
    StringBuilder b = new StringBuilder("[");
    String event = "{\"action\":\"file.uploaded\",\"metadata\":{\"pad\":\"" + "p".repeat(1000) + "\"}}";
    while (b.length() + event.length() + 2 < bytes) b.append(b.length() > 1 ? "," : "").append(event);
    return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Connects and sends the request line and headers; {@code contentLength} &lt; 0 sends the body chunked. */
  public static RawHttp start(int port, String method, String path, String key, String contentType, long contentLength) throws IOException {
    return start(port, method, path, key, contentType, contentLength, Map.of());
  }

  /** With extra request headers, sent as they are. */
  public static RawHttp start(int port, String method, String path, String key, String contentType, long contentLength,
      Map<String, String> headers) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(60_000);
    RawHttp r = new RawHttp(s);
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    if (key != null) head.append("Authorization: Bearer ").append(key).append("\r\n");
    if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append(contentLength < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength + "\r\n");
    head.append("\r\n");
    r.out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    r.out.flush();
    return r;
  }

  /** Sends body bytes as they are (for a chunked request, use {@link #chunk}). False once the server has answered or hung up. */
  public boolean send(byte[] bytes) {
    if (response.isDone()) return false;
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false; // the server answered early and closed: the response says why
    }
  }

  /** Sends one chunk of a chunked body (an empty one ends it). */
  public boolean chunk(byte[] bytes) {
    byte[] head = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + bytes.length + 2];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bytes, 0, all, head.length, bytes.length);
    all[all.length - 2] = '\r';
    all[all.length - 1] = '\n';
    return send(all);
  }

  public boolean answered() {
    return response.isDone();
  }

  /** The response, waiting at most {@code seconds} for it. */
  public Response response(int seconds) throws Exception {
    return response.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
  }

  public CompletableFuture<Response> responseFuture() {
    return response;
  }

  /** Hangs up abruptly (RST if data is pending). */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) throw new IOException("the server closed the connection without a response");
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
    }
    String length = headers.get("content-length");
    byte[] body;
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int n = Integer.parseInt(line(in).strip(), 16); n > 0; n = Integer.parseInt(line(in).strip(), 16)) {
        b.write(in.readNBytes(n));
        line(in);
      }
      body = b.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') return b.toString(StandardCharsets.US_ASCII).replace("\r", "");
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
  }
}
