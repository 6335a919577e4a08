package org.trailbook.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 connection used by one thread: the lightest client there is, so the
 * latency probe measures the server and not a client library's connection pool.
 */
final class Connection1 implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  Connection1(String baseUrl) {
    URI u = URI.create(baseUrl);
    this.host = u.getHost();
    this.port = u.getPort();
  }

  /** An answer: its status and body. */
  record Response(int status, byte[] body) {}

  /** POSTs {@code body}; returns the status. Reconnects once if the server closed the connection. */
  int post(String path, String key, byte[] body) throws IOException {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    return exchange(head, body).status();
  }

  /** GETs {@code path}. */
  Response get(String path, String key) throws IOException {
    byte[] head = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + key + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    return exchange(head, new byte[0]);
  }

  private Response exchange(byte[] head, byte[] body) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        if (socket == null) open();
        out.write(head);
        out.write(body);
        out.flush();
        return readResponse();
      } catch (IOException e) {
        close();
        if (attempt > 0) throw e;
      }
    }
  }

  private void open() throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    in = new BufferedInputStream(socket.getInputStream(), 16384);
    out = socket.getOutputStream();
  }

  private Response readResponse() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    int length = 0;
    boolean chunked = false;
    for (String h; !(h = line()).isEmpty(); ) {
      if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(h.substring(15).strip());
      if (h.regionMatches(true, 0, "Transfer-Encoding:", 0, 18) && h.toLowerCase(java.util.Locale.ROOT).contains("chunked")) chunked = true;
    }
    if (!chunked) return new Response(code, in.readNBytes(length));
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (int size; (size = Integer.parseInt(line().strip(), 16)) > 0; ) {
      body.writeBytes(in.readNBytes(size));
      line();
    }
    line();
    return new Response(code, body.toByteArray());
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("the server closed the connection");
      if (c != '\r') sb.append((char) c);
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
    socket = null;
  }
}
