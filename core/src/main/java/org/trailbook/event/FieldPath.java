package org.trailbook.event;

/**
 * A location inside an event, rendered as a dotted path such as {@code webhook.attempts[2].at}.
 * Built as a linked list so that walking a tree costs one small object per step and the string is
 * only made when a problem is reported.
 */
record FieldPath(FieldPath parent, String key, int index) {
  static final FieldPath ROOT = new FieldPath(null, null, -1);
  private static final int MAX_KEY_CHARS = 64;

  FieldPath child(String name) {
    return new FieldPath(this, name, -1);
  }

  FieldPath at(int position) {
    return new FieldPath(this, null, position);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    render(out);
    return out.toString();
  }

  private void render(StringBuilder out) {
    if (parent == null) return;
    parent.render(out);
    if (key == null) {
      out.append('[').append(index).append(']');
      return;
    }
    if (!out.isEmpty()) out.append('.');
    int end = Math.min(key.length(), MAX_KEY_CHARS);
    for (int i = 0; i < end; i++) {
      char c = key.charAt(i);
      out.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
    }
    if (end < key.length()) out.append('…');
  }
}
