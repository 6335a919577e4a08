package org.trailbook;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one shared Jackson configuration: strict about duplicate keys, thread-safe, reused everywhere. */
public final class Json {
  public static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private Json() {}
}
