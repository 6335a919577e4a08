package org.trailbook.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client over a raw socket (HTTP/1.0, so the body is the bare event stream): it parses messages
 * into a queue, counts comments, and can hold off reading entirely (to play a client that stops reading).
 */
final class SseClient implements AutoCloseable {
  /** One dispatched message; {@code id} is null when the message had none. */
  record Event(String event, String id, String data) {}

  /** Marks the end of the stream in the queue. */
  static final Event END = new Event("<end>", null, null);

  private final Socket socket;
  private final InputStream in;
  final int status;
  /** The response headers, names in lower case. */
  final java.util.Map<String, String> headers = new java.util.HashMap<>();
  final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<String> comments = new LinkedBlockingQueue<>();
  private String body;

  private SseClient(Socket socket, InputStream in, int status) {
    this.socket = socket;
    this.in = in;
    this.status = status;
  }

  static SseClient open(int port, String pathAndQuery, String key, String lastEventId) {
    return open(port, pathAndQuery, key, lastEventId, 0);
  }

  /** Sends the request and reads the status and headers; {@code receiveBuffer} > 0 shrinks the socket's buffer. */
  static SseClient open(int port, String pathAndQuery, String key, String lastEventId, int receiveBuffer) {
    return connect(port, pathAndQuery, "Authorization: Bearer " + key, lastEventId, receiveBuffer);
  }

  /** A stream of the web page: authenticated by its session cookie. */
  static SseClient openWithCookie(int port, String pathAndQuery, String cookie) {
    return connect(port, pathAndQuery, "Cookie: " + org.trailbook.ui.ViewerTokens.COOKIE + "=" + cookie, null, 0);
  }

  private static SseClient connect(int port, String pathAndQuery, String credentialHeader, String lastEventId, int receiveBuffer) {
    try {
      Socket s = new Socket();
      if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(60_000);
      StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
      req.append(credentialHeader).append("\r\n");
      if (lastEventId != null) req.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String statusLine = headerLine(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      SseClient c = new SseClient(s, in, status);
      String h;
      while (!(h = headerLine(in)).isEmpty()) {
        int colon = h.indexOf(':');
        if (colon > 0) c.headers.put(h.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).strip());
      }
      if (status != 200) c.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String headerLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') if (c != '\r') b.append((char) c);
    return b.toString();
  }

  String body() {
    return body;
  }

  /** Starts parsing the stream on a background thread. */
  SseClient startReading() {
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String event = null;
        String id = null;
        StringBuilder data = null;
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isEmpty()) {
            if (data != null || id != null) events.add(new Event(event == null ? "message" : event, id, data == null ? null : data.toString()));
            event = null;
            id = null;
            data = null;
          } else if (line.startsWith(":")) {
            comments.add(line);
          } else {
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(": ", colon) ? 2 : 1));
            switch (field) {
              case "event" -> event = value;
              case "id" -> id = value;
              case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
              default -> { }
            }
          }
        }
      } catch (IOException e) {
        // the stream ended
      } finally {
        events.add(END);
      }
    });
    return this;
  }

  /** The next message, within a deadline. */
  Event next() {
    try {
      Event e = events.poll(20, TimeUnit.SECONDS);
      assertThat(e).as("an SSE message within 20 s").isNotNull();
      return e;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next message that is not of {@code skip} type. */
  Event nextEntry() {
    Event e = next();
    assertThat(e.event()).as("message %s", e).isEqualTo("entry");
    return e;
  }

  /** The next comment line, within {@code timeout}. */
  String nextComment(Duration timeout) throws InterruptedException {
    String c = comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(c).as("a comment within %s", timeout).isNotNull();
    return c;
  }

  /** The next message, or null if none comes within {@code timeout}. */
  Event poll(Duration timeout) {
    try {
      return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes the socket with a reset instead of an orderly close: a client that crashed or lost its network. */
  void closeAbruptly() {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closing anyway
    }
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
