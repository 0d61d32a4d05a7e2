package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;

/** One answer of Graph to a restore's request: status, body, and Graph's error code and message when it failed. */
record GraphResponse(int status, JsonNode body) {

  boolean ok() {
    return status >= 200 && status < 300;
  }

  Optional<String> errorCode() {
    String code = body.path("error").path("code").asText("");
    return code.isEmpty() ? Optional.empty() : Optional.of(code);
  }

  String errorMessage() {
    return body.path("error").path("message").asText("").replaceAll("\\s+", " ");
  }

  /** "400 Request_BadRequest: Property 'x' is read-only" for the operator. */
  String describe() {
    return status + errorCode().map(code -> " " + code).orElse("")
        + (errorMessage().isEmpty() ? "" : ": " + errorMessage());
  }

  /** Graph's "One or more added object references already exist": the add is already done. */
  boolean alreadyExists() {
    return (status == 400 && errorMessage().contains("already exist")) || status == 409;
  }

  static GraphResponse empty(int status) {
    return new GraphResponse(status, MissingNode.getInstance());
  }
}
