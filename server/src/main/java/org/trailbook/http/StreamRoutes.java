package org.trailbook.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.search.EventFilter;
import org.trailbook.search.SearchParams;
import org.trailbook.stream.LiveStream;
import org.trailbook.stream.StreamHub;

/**
 * {@code GET /v1/events/stream} (scope {@code read}): the live tail as Server-Sent Events, with every filter of {@code
 * GET /v1/events}. Bad filters and resume points are answered 400 before the stream starts. The resume point is the
 * {@code Last-Event-ID} header (what browsers send when they reconnect), else {@code ?after=}; without either the
 * stream starts at the live tail. See {@link LiveStream} for the messages. Each credential, workspace and node may hold
 * only so many streams at once (429 for the first two, 503 for the node, each with {@code Retry-After}).
 */
final class StreamRoutes {
  private final Authenticator auth;
  private final StreamHub hub;
  private final Clock clock;

  StreamRoutes(Authenticator auth, StreamHub hub, Clock clock) {
    this.auth = auth;
    this.hub = hub;
    this.clock = clock;
  }

  void register(ApiRoutes r) {
    r.get("/v1/events/stream", this::stream);
  }

  private void stream(Context ctx) throws IOException {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    EventFilter filter = SearchParams.filter(ctx.queryParamMap(), Set.of("after"), c.workspace(), clock.millis());
    long last = hub.lastSeq(c.workspace());
    String header = ctx.header("Last-Event-ID");
    long position;
    if (header != null && !header.isBlank()) position = resumePoint(header, "Last-Event-ID", last);
    else if (ctx.queryParam("after") != null) position = resumePoint(ctx.queryParam("after"), "after", last);
    else position = last;
    // the stream re-checks the credential before every batch it sends: a revoked key (or an ended page session)
    // stops being served at once, not when the client happens to reconnect
    try (LiveStream stream = hub.open(filter, position, c.keyId(), () -> auth.stillValid(c))) {
      var res = ctx.res();
      res.setStatus(200);
      res.setContentType("text/event-stream; charset=utf-8");
      res.setHeader("Cache-Control", "no-cache, no-store");
      res.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
      OutputStream out = res.getOutputStream();
      stream.run(new LiveStream.Sink() {
        @Override
        public void write(byte[] bytes) throws IOException {
          out.write(bytes);
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void abort() {
          // closing the connection's endpoint fails a write blocked on a client that stopped reading (aborting only
          // the response does not: the write stays parked until the client reads or the idle timeout)
          ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().getEndPoint()
              .close(new IOException("the stream's credential was revoked"));
        }
      });
    }
  }

  private static long resumePoint(String text, String name, long last) {
    long v;
    try {
      v = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw bad(name, "must be the id of an event of this stream (an integer seq; -1 replays from the start)");
    }
    if (v < -1) throw bad(name, "must be -1 or more");
    if (v > last) throw bad(name, "is beyond the end of this workspace's log (its last seq is " + last + ")");
    return v;
  }

  private static InvalidInputException bad(String name, String rule) {
    return new InvalidInputException("invalid_parameter", "invalid '" + name + "': " + rule, List.of(Problem.of(name, rule)));
  }
}
