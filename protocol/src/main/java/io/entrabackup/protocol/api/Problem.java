package io.entrabackup.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document, the body of every error the API answers.
 *
 * @param type a URI naming the kind of problem; {@code about:blank} when the status says it all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

  public static final String MEDIA_TYPE = "application/problem+json";

  private static final String TYPE_BASE = "https://entra-backup.dev/problems/";

  /** A problem whose kind is one of ours, e.g. {@code invalid-request}. */
  public static Problem of(String kind, String title, int status, String detail) {
    return new Problem(TYPE_BASE + kind, title, status, detail);
  }
}
