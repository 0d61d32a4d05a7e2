package io.entrabackup.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id that follows one HTTP request into the log lines it causes, the job it starts and that job's Graph requests
 * (as {@code client-request-id}, which Microsoft expects to be a GUID). A client may choose it ({@code X-Request-Id});
 * only a well-formed UUID is taken, in its lower-case form, so nothing a client writes reaches a log line or a header
 * unchecked. Scheduled work, which no request started, gets one of its own.
 */
public final class RequestId {
  /** The HTTP header a client may send it in and every answer carries it in. */
  public static final String HEADER = "X-Request-Id";

  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private RequestId() {}

  /** The client's id if it is a UUID (8-4-4-4-12 hexadecimal digits), lower-cased; empty for anything else. */
  public static Optional<String> wellFormed(String offered) {
    if (offered == null || offered.length() != 36 || !UUID_FORM.matcher(offered).matches()) {
      return Optional.empty();
    }
    return Optional.of(offered.toLowerCase(Locale.ROOT));
  }

  /** A new random id. */
  public static String generate() {
    return UUID.randomUUID().toString();
  }

  /** The client's id when well-formed, else a new one. */
  public static String acceptOrGenerate(String offered) {
    return wellFormed(offered).orElseGet(RequestId::generate);
  }
}
