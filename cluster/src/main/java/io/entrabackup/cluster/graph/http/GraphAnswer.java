package io.entrabackup.cluster.graph.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Graph's final answer to a logical request (after any retries), for the caller to judge.
 *
 * @param status HTTP status
 * @param body the body as JSON; a missing node when empty or not JSON (see {@code unreadable})
 * @param unreadable why the body could not be read as JSON, when it could not (cut mid-JSON, not JSON)
 * @param bytes body bytes of this answer
 * @param location the {@code Location} header, if any
 * @param clientRequestId the {@code client-request-id} we sent (the same on every attempt)
 * @param requestId Graph's {@code request-id} for this attempt, if it sent one
 */
public record GraphAnswer(
    int status,
    JsonNode body,
    Optional<String> unreadable,
    long bytes,
    Optional<String> location,
    String clientRequestId,
    Optional<String> requestId) {

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /** Graph's error code ({@code error.code}), empty when none. */
  public String errorCode() {
    return body.path("error").path("code").asText("");
  }

  /** Graph's error message on one line, empty when none. */
  public String errorMessage() {
    return body.path("error").path("message").asText("").replaceAll("\\s+", " ");
  }

  /** "404 Request_ResourceNotFound: Resource 'x' does not exist" for the operator. */
  public String describe() {
    String code = errorCode();
    String message = errorMessage();
    return status + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message);
  }

  /** The ids a Graph support case is traced by: "client-request-id X, request-id Y". */
  public String trace() {
    return "client-request-id " + clientRequestId + requestId.map(id -> ", request-id " + id).orElse("");
  }
}
