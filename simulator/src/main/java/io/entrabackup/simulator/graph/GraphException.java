package io.entrabackup.simulator.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Graph error to answer with: status, Graph error code, message, and any extra headers (Retry-After, Location). */
public final class GraphException extends RuntimeException {
  private final int status;
  private final String code;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public GraphException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public GraphException header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() { return status; }
  public String code() { return code; }
  public Map<String, String> headers() { return headers; }

  public static GraphException badRequest(String message) {
    return new GraphException(400, "Request_BadRequest", message);
  }

  public static GraphException denied() {
    return new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }

  public static GraphException unauthenticated(String message) {
    return new GraphException(401, "InvalidAuthenticationToken", message);
  }

  public static GraphException notFound(String id) {
    return new GraphException(404, "Request_ResourceNotFound",
        "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.");
  }

  /** Graph's answer to a method the resource does not take (a PATCH or DELETE of a directory role, say). */
  public static GraphException methodNotAllowed() {
    return new GraphException(405, "Request_BadRequest", "The request is not supported by the resource.");
  }

  /** Graph's answer to a URL whose path names no resource it knows ({@code segment} is the part it could not place). */
  public static GraphException segmentNotFound(String segment) {
    return new GraphException(400, "BadRequest", "Resource not found for the segment '" + segment + "'.");
  }

  public static GraphException syncStateNotFound() {
    return new GraphException(400, "syncStateNotFound",
        "The delta token is expired and data must be synchronized again.");
  }
}
