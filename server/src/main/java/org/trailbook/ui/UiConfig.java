package org.trailbook.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.trailbook.TrailbookException;

/**
 * Settings of the web page. {@code resourceUrls} maps a resource type to a link template such as
 * {@code https://app.example/campaigns/{id}} ({@code TRAILBOOK_RESOURCE_URLS}); {@code publicUrl}
 * is the base of login links ({@code TRAILBOOK_PUBLIC_URL}; default: the request's own host).
 */
public record UiConfig(Map<String, String> resourceUrls, String publicUrl) {
  public static final UiConfig DEFAULTS = new UiConfig(Map.of(), null);
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public UiConfig {
    resourceUrls = Map.copyOf(resourceUrls);
  }

  public static UiConfig fromEnvironment(Map<String, String> env) {
    String publicUrl = env.get("TRAILBOOK_PUBLIC_URL");
    if (publicUrl != null && !publicUrl.isBlank()) {
      publicUrl = publicUrl.strip().replaceAll("/+$", "");
      if (!publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
        throw new TrailbookException("TRAILBOOK_PUBLIC_URL must start with http:// or https://, not '" + publicUrl + "'");
      }
    } else {
      publicUrl = null;
    }
    return new UiConfig(parseResourceUrls(env.get("TRAILBOOK_RESOURCE_URLS")), publicUrl);
  }

  /** Parses {@code type=template,type=template}; each template must be an http(s) URL. */
  public static Map<String, String> parseResourceUrls(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null || value.isBlank()) return out;
    for (String item : value.split(",")) {
      if (item.isBlank()) continue;
      int eq = item.indexOf('=');
      String type = eq < 0 ? "" : item.substring(0, eq).strip();
      String template = eq < 0 ? "" : item.substring(eq + 1).strip();
      if (!TYPE.matcher(type).matches()) {
        throw new TrailbookException("TRAILBOOK_RESOURCE_URLS: '" + item.strip() + "' must be <resource type>=<URL template>, the type 1 to 64 of A-Z a-z 0-9 _ . -");
      }
      if (!template.startsWith("https://") && !template.startsWith("http://")) {
        throw new TrailbookException("TRAILBOOK_RESOURCE_URLS: the template for '" + type + "' must start with http:// or https://");
      }
      out.put(type, template);
    }
    return out;
  }
}
