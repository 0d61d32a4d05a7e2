package io.entrabackup.http;

import io.entrabackup.protocol.RequestId;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.MDC;

/**
 * Every request gets an id ({@link RequestId}): the client's {@code X-Request-Id} when it is a well-formed UUID,
 * else a new one (a client's other text is ignored, never echoed). The answer carries it in {@code X-Request-Id}; the
 * request, as the routes see it, carries only that id, so a route that starts a job ({@link #requestId}) hands the
 * same id on to the job, its log lines and its Graph requests.
 */
public final class RequestIds extends AllDirectives {

  /** MDC key of an HTTP request's log lines (the same key a job's lines use). */
  public static final String MDC_KEY = "requestId";

  /** The outermost directive: everything inside, problem documents included, answers with the id. */
  public Route wrap(Supplier<Route> inner) {
    return optionalHeaderValueByName(RequestId.HEADER, offered -> {
      String id = RequestId.acceptOrGenerate(offered.orElse(null));
      RawHeader header = RawHeader.create(RequestId.HEADER, id);
      return respondWithHeader(header, () -> mapRequest(request -> request.removeHeader(RequestId.HEADER)
          .addHeader(header), inner));
    });
  }

  /** The request's id, as {@link #wrap} set it (a route outside it gets a new one). */
  public static Route requestId(Function<String, Route> inner) {
    return Directives.optionalHeaderValueByName(RequestId.HEADER, id -> inner.apply(
        id.flatMap(RequestId::wellFormed).orElseGet(RequestId::generate)));
  }

  /** Runs a log statement with the request's id in the MDC (routes run on whatever thread completed a future). */
  public static void log(String requestId, Runnable statement) {
    String before = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, requestId);
    try {
      statement.run();
    } finally {
      if (before == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, before);
      }
    }
  }
}
