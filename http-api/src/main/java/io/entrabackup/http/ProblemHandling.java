package io.entrabackup.http;

import io.entrabackup.protocol.AsyncFailures;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.entrabackup.protocol.api.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every rejection and failure into a problem document with a message a person can act on.
 * Errors answered to the caller are not also logged; only unexpected failures are, at ERROR.
 */
public final class ProblemHandling extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

  public Route wrap(Route inner) {
    return handleExceptions(exceptionHandler(), () -> handleRejections(rejectionHandler(), () -> inner));
  }

  RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, rejection -> complete(malformedBody(rejection.getCause())))
        .handleNotFound(complete(Problems.notFound("No resource at this path; the API lives under /api/v1")))
        .build()
        // Everything else keeps Pekko's status and wording, re-shaped as a problem document.
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(ProblemHandling::asProblem);
  }

  ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .match(CompletionException.class, e -> RequestIds.requestId(id -> complete(failure(e.getCause(), id))))
        .matchAny(e -> RequestIds.requestId(id -> complete(failure(e, id))))
        .build();
  }

  private static HttpResponse failure(Throwable error, String requestId) {
    if (AsyncFailures.cause(error) != error) {
      return failure(AsyncFailures.cause(error), requestId);
    }
    if (error instanceof TimeoutException) {
      return Problems.unavailable("The cluster did not answer in time; retry shortly.");
    }
    if (error instanceof EntityStreamSizeException tooLarge) {
      return payloadTooLarge(tooLarge);
    }
    if (error instanceof CursorRefused refused) {
      return Problems.badRequest(refused.getMessage());
    }
    RequestIds.log(requestId, () -> log.error("Request failed unexpectedly", error));
    return Problems.response(
        Problem.of(
            "internal-error", "Internal server error", 500,
            "The request failed on our side; the node's log has the details."));
  }

  static HttpResponse malformedBody(Throwable cause) {
    // Pekko wraps the real reason; Jackson's exception knows the field and position.
    Throwable error = cause;
    while (!(error instanceof JsonProcessingException) && !(error instanceof EntityStreamSizeException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    if (error instanceof EntityStreamSizeException tooLarge) {
      return payloadTooLarge(tooLarge);
    }
    return Problems.badRequest(describe(error));
  }

  private static HttpResponse payloadTooLarge(EntityStreamSizeException tooLarge) {
    return payloadTooLarge(tooLarge.limit());
  }

  static HttpResponse payloadTooLarge(long limit) {
    return Problems.response(Problem.of("payload-too-large", "Payload too large", 413,
        "The request body is larger than the " + limit + " bytes accepted here"));
  }

  static String describe(Throwable error) {
    if (error instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds().stream().map(Objects::toString).sorted().collect(Collectors.joining(", "));
      return "Unknown field '" + unknown.getPropertyName() + "'; the fields accepted here are: " + known;
    }
    if (error instanceof JsonMappingException mapping && mapping.getCause() instanceof JsonProcessingException read
        && !(mapping.getCause() instanceof JsonMappingException)) {
      // A string that could not be read while a field was being filled: the parse error is the reason.
      return describe(read);
    }
    if (error instanceof StreamConstraintsException) {
      return "The body is beyond what is accepted here: JSON nested at most 1000 deep, no number or string of"
          + " extreme length";
    }
    if (error instanceof JsonParseException parse) {
      return "The body is not valid JSON (line " + parse.getLocation().getLineNr() + ", column "
          + parse.getLocation().getColumnNr() + ")" + reason(parse.getOriginalMessage());
    }
    if (error instanceof InvalidFormatException invalid) {
      return "Field '" + path(invalid) + "' has a value of the wrong type: " + invalid.getValue();
    }
    if (error instanceof MismatchedInputException mismatch) {
      String field = path(mismatch);
      return field.isEmpty()
          ? "The body must be a JSON object"
          : "Field '" + field + "' has the wrong type; expected " + simpleName(mismatch.getTargetType());
    }
    if (error instanceof JsonMappingException mapping && mapping.getCause() instanceof IllegalArgumentException invalid) {
      return "Field '" + path(mapping) + "': " + invalid.getMessage();
    }
    if (error instanceof JsonMappingException mapping && !path(mapping).isEmpty()) {
      return "Field '" + path(mapping) + "' could not be read as the value it takes here";
    }
    // Jackson's own wording names our classes and its settings: the caller gets a plain sentence instead.
    return "The request body could not be read as the JSON object this route takes";
  }

  /** Jackson's reason for a parse error, without the parts that describe Jackson rather than the body. */
  private static String reason(String message) {
    if (message == null) {
      return "";
    }
    String first = message.lines().findFirst().orElse("");
    for (String internal : new String[] {" (start marker", " at [Source", "[Source", " (for ", "`"}) {
      int at = first.indexOf(internal);
      if (at >= 0) {
        first = first.substring(0, at);
      }
    }
    return first.isBlank() ? "" : ": " + first.strip();
  }

  private static String path(JsonMappingException error) {
    return error.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String simpleName(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    return type == String.class ? "a string" : type.getSimpleName();
  }

  private static HttpResponse asProblem(HttpResponse response) {
    HttpEntity entity = response.entity();
    if (Problems.isProblem(entity.getContentType())) {
      return response;
    }
    String detail =
        entity instanceof HttpEntity.Strict strict
            ? strict.getData().decodeString(StandardCharsets.UTF_8)
            : response.status().defaultMessage();
    return Problems.forStatus(response.status(), detail).withHeaders(response.getHeaders());
  }
}
