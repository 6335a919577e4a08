package org.trailbook.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes with Javalin and remembers them, so a test can hold the OpenAPI document
 * against the routes the server really serves.
 */
public final class ApiRoutes {
  /** One served operation, with the path in OpenAPI's {@code {param}} syntax. */
  public record Route(String method, String path) {}

  private final RoutesConfig routes;
  private final List<Route> registered = new ArrayList<>();

  ApiRoutes(RoutesConfig routes) {
    this.routes = routes;
  }

  public void get(String path, Handler handler) {
    add(HandlerType.GET, path, handler);
  }

  public void post(String path, Handler handler) {
    add(HandlerType.POST, path, handler);
  }

  public void put(String path, Handler handler) {
    add(HandlerType.PUT, path, handler);
  }

  public void delete(String path, Handler handler) {
    add(HandlerType.DELETE, path, handler);
  }

  private void add(HandlerType method, String path, Handler handler) {
    routes.addEndpoint(new Endpoint(method, path, handler));
    registered.add(new Route(method.name().toLowerCase(java.util.Locale.ROOT), path));
  }

  public List<Route> registered() {
    return List.copyOf(registered);
  }
}
