package org.trailbook.export;

import org.trailbook.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One background export as an {@link ExportJobStore} keeps it: who asked for what, the log size it covers
 * ({@code end}: entries below it, fixed when the job was created, so a re-run gives the same file), and how far it got.
 */
public record ExportJob(String id, String workspace, String keyId, ExportRequest request, long end, long createdAt, Status status,
    long startedAt, long finishedAt, long count, long bytes, String error) {

  /** A job's life: queued → running → done or failed. */
  public enum Status {
    QUEUED, RUNNING, DONE, FAILED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The name of the finished file: a zip when it carries a verification bundle. */
  public String fileName() {
    return id + "." + (request.includeProof() ? "zip" : request.format().wireName());
  }

  public String contentType() {
    return request.includeProof() ? "application/zip" : request.format().contentType();
  }

  /** The job claimed by a runner at {@code startedAt}: running, from scratch. */
  public ExportJob running(long startedAt) {
    return with(Status.RUNNING, startedAt, 0, 0, 0, null);
  }

  /** This job in another state (id, request and creation unchanged). */
  public ExportJob with(Status s, long started, long finished, long n, long b, String err) {
    return new ExportJob(id, workspace, keyId, request, end, createdAt, s, started, finished, n, b, err);
  }

  /** The job's persisted form (without a format header). */
  public ObjectNode toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id).put("workspace", workspace).put("key_id", keyId).put("end", end).put("created_at", createdAt);
    o.put("status", status.wireName()).put("started_at", startedAt).put("finished_at", finishedAt).put("count", count).put("bytes", bytes);
    if (error != null) o.put("error", error);
    o.set("request", request.toJson());
    return o;
  }

  /** Reads what {@link #toJson} wrote. */
  public static ExportJob read(JsonNode o) {
    return new ExportJob(o.path("id").asString(), o.path("workspace").asString(), o.path("key_id").asString(), ExportRequest.read(o.path("request")),
        o.path("end").asLong(), o.path("created_at").asLong(), Status.valueOf(o.path("status").asString().toUpperCase(java.util.Locale.ROOT)),
        o.path("started_at").asLong(), o.path("finished_at").asLong(), o.path("count").asLong(), o.path("bytes").asLong(),
        o.path("error").isString() ? o.path("error").asString() : null);
  }
}
