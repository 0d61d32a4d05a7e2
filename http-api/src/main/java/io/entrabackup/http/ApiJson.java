package io.entrabackup.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The API's JSON: strict on the way in (unknown fields, duplicate fields, trailing tokens, type mismatches and text
 * that is not well-formed Unicode are errors, so a typo never silently loses a setting), ISO-8601 instants on the way
 * out.
 */
public final class ApiJson {

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          // A field given twice is refused: which of the two a check read and which one was used must never differ.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .addModule(new SimpleModule("well-formed-text").addDeserializer(String.class, new WellFormedText()))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_ABSENT)
          .build();

  private ApiJson() {}

  public static <T> Marshaller<T, RequestEntity> marshaller() {
    return Jackson.marshaller(MAPPER);
  }

  public static <T> Unmarshaller<HttpEntity, T> unmarshaller(Class<T> type) {
    return Jackson.unmarshaller(MAPPER, type);
  }

  /**
   * The routes for a request whose body is {@code type}'s JSON, read strictly as above and at most
   * {@code max-body-bytes} long; a larger body is answered 413 without being parsed.
   */
  public static <T> Route withBody(HttpSettings settings, Class<T> type, Function<T, Route> inner) {
    // A body of JSON null reads as no object at all: the sender's mistake, not a null for the route to trip on.
    return refusingOversizedBodies(settings.maxBodyBytes(), () -> Directives.entity(unmarshaller(type),
        body -> body == null ? Directives.complete(Problems.badRequest("The body must be a JSON object")) : inner.apply(body)));
  }

  /**
   * Answers 413 to a body declared larger than {@code limit}. Answering before the client has finished sending makes
   * the server close the connection under a client that is still writing, and the client's TCP stack may then drop our
   * answer unread (a reset beats it): the client sees "connection closed" instead of 413. So a body up to
   * {@link #DRAINED_BODY_FACTOR} times the limit is read and thrown away first, as servers do with a lingering close;
   * a larger one is refused at once. A body of undeclared length (chunked) is cut off at the limit as it streams.
   */
  static Route refusingOversizedBodies(long limit, Supplier<Route> inner) {
    return Directives.extractRequestEntity(entity -> {
      OptionalLong declared = entity.getContentLengthOption();
      if (declared.isEmpty() || declared.getAsLong() <= limit) {
        return Directives.withSizeLimit(limit, inner);
      }
      if (declared.getAsLong() > limit * DRAINED_BODY_FACTOR) {
        return Directives.complete(ProblemHandling.payloadTooLarge(limit));
      }
      return Directives.extractMaterializer(materializer -> Directives.onComplete(
          entity.discardBytes(materializer).completionStage(),
          drained -> Directives.complete(ProblemHandling.payloadTooLarge(limit))));
    });
  }

  /** How many times the body limit is still read to the end before answering 413 (see refusingOversizedBodies). */
  static final long DRAINED_BODY_FACTOR = 16;
}
