package io.entrabackup.http.portal;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import java.util.List;

/**
 * The operator portal: static files from the classpath ({@code portal/}), a single page that talks to
 * {@code /api/v1} with the operator's API key. It holds no data and needs no session on the server, so
 * any node serves it. The key lives in the browser tab's session storage only.
 */
public final class PortalRoutes extends AllDirectives {

  /** Scripts and styles only from this origin; no inline script, no framing (clickjacking). */
  private static final List<org.apache.pekko.http.javadsl.model.HttpHeader> SECURITY_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none';"
          + " base-uri 'none'; form-action 'self'"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"),
      RawHeader.create("Cache-Control", "no-cache"));

  public Route routes() {
    return concat(
        pathSingleSlash(() -> get(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/portal/"),
            StatusCodes.SEE_OTHER))),
        pathPrefix("portal", () -> get(() -> concat(
            pathEnd(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/portal/"),
                StatusCodes.MOVED_PERMANENTLY)),
            pathSingleSlash(() -> respondWithHeaders(SECURITY_HEADERS,
                () -> getFromResource("portal/index.html", ContentTypes.TEXT_HTML_UTF8))),
            pathPrefix("assets", () -> respondWithHeaders(SECURITY_HEADERS,
                () -> getFromResourceDirectory("portal/assets")))))));
  }
}
