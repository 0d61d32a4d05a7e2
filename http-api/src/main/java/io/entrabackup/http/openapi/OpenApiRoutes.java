package io.entrabackup.http.openapi;

import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/openapi.json}: the API's OpenAPI 3.1 document (the resource {@code openapi/openapi.json}, its one
 * source). Served without a key, like health: a description of the API is not secret (every route in it also answers
 * unauthenticated callers with its 401), and a client or a code generator needs it before it holds a key. It is a
 * static file, so an unauthenticated caller costs the node no more than a health check.
 */
public final class OpenApiRoutes extends AllDirectives {

  /** The resource the document is served from; OpenApiIT reads the same file. */
  public static final String RESOURCE = "openapi/openapi.json";

  /** Revalidated on each use: after an upgrade a client must not keep describing the old API. */
  private static final List<HttpHeader> HEADERS = List.of(
      RawHeader.create("Cache-Control", "no-cache"),
      RawHeader.create("X-Content-Type-Options", "nosniff"));

  public Route routes() {
    return path("openapi.json", () -> get(() -> respondWithHeaders(HEADERS,
        () -> getFromResource(RESOURCE, ContentTypes.APPLICATION_JSON))));
  }
}
