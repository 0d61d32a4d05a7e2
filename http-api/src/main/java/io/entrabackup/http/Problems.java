package io.entrabackup.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.entrabackup.protocol.api.Problem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;

/** Builds RFC 9457 problem responses, the only shape the API answers errors in. */
public final class Problems {

  private static final ContentType PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8)
          .toContentType();

  private Problems() {}

  public static HttpResponse response(Problem problem) {
    // A detail may quote the request; text that is not well-formed Unicode must not make the answer unwritable.
    problem = new Problem(problem.type(), problem.title(), problem.status(), WellFormedText.wellFormed(problem.detail()));
    return HttpResponse.create()
        .withStatus(problem.status())
        .withEntity(HttpEntities.create(PROBLEM_JSON, serialize(problem)));
  }

  public static HttpResponse badRequest(String detail) {
    return response(Problem.of("invalid-request", "Invalid request", 400, detail));
  }

  public static HttpResponse notFound(String detail) {
    return response(Problem.of("not-found", "Not found", 404, detail));
  }

  public static HttpResponse conflict(String detail) {
    return response(Problem.of("conflict", "Conflict", 409, detail));
  }

  public static HttpResponse unavailable(String detail) {
    return response(Problem.of("unavailable", "Service unavailable", 503, detail));
  }

  /** A problem for a status the HTTP layer itself produced (405, 406, 415, ...): the status says it all. */
  public static HttpResponse forStatus(StatusCode status, String detail) {
    return response(new Problem("about:blank", status.reason(), status.intValue(), detail));
  }

  private static byte[] serialize(Problem problem) {
    try {
      return ApiJson.MAPPER.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem document could not be written", e);
    }
  }

  static boolean isProblem(ContentType contentType) {
    return contentType.equals(PROBLEM_JSON);
  }
}
