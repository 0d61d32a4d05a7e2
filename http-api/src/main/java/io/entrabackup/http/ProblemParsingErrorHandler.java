package io.entrabackup.http;

import io.entrabackup.protocol.api.Problem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers a request too malformed to reach the routes (a broken request line or header, an unknown method, a URI or
 * headers over the limits) with a problem document like every other error, where Pekko answers plain text. Such a
 * request is always the sender's mistake, so it is answered 4xx: an unknown method 405 and an HTTP version we do not
 * speak 400, where Pekko answers 501 and 505. It is logged at DEBUG only: a stranger's garbage is no operator's
 * warning. Named by {@code pekko.http.server.parsing.error-handler} in this module's {@code reference.conf}.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    log.debug("Malformed request answered {}: {}", status.intValue(), error.formatPretty());
    String detail = error.summary().isBlank() ? status.reason() : error.summary();
    if (status.intValue() == 501) {
      return Problems.response(Problem.of("method-not-allowed", "Method not allowed", 405,
              "This API serves GET, POST, PUT and DELETE only: " + detail))
          .addHeader(Allow.create(HttpMethods.GET, HttpMethods.POST, HttpMethods.PUT, HttpMethods.DELETE));
    }
    if (status.intValue() >= 500) {
      return Problems.response(Problem.of("invalid-request", "Invalid request", 400, detail));
    }
    return Problems.response(new Problem("about:blank", status.reason(), status.intValue(), detail));
  }
}
