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
import java.util.function.Function;
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
   * {@code max-body-bytes} long; a larger body is refused before it is read.
   */
  public static <T> Route withBody(HttpSettings settings, Class<T> type, Function<T, Route> inner) {
    // A body of JSON null reads as no object at all: the sender's mistake, not a null for the route to trip on.
    return Directives.withSizeLimit(settings.maxBodyBytes(), () -> Directives.entity(unmarshaller(type),
        body -> body == null ? Directives.complete(Problems.badRequest("The body must be a JSON object")) : inner.apply(body)));
  }
}
