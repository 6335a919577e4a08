package org.trailbook;

import java.util.List;

/** Input over a size limit (body, event, batch): answered with 413 naming the limit. */
public class TooLargeException extends InvalidInputException {
  private final long limit;

  public TooLargeException(String code, String message, long limit, List<Problem> problems) {
    super(code, message, problems);
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
