package io.entrabackup.cli;

import java.util.Optional;

/**
 * The exit statuses scripts can rely on, one per kind of outcome (not per HTTP status): a script branches on "not
 * found" or "try again later" without parsing text. The same table is in {@code entra-backup --help}.
 */
public final class ExitCode {

  /** Done; a watched job completed. */
  public static final int OK = 0;
  /** The operation failed: a watched job failed, was rejected or expired; a download's checksum did not match. */
  public static final int FAILED = 1;
  /** The command line was wrong (or the API refused the request as malformed, 400): fix the call, do not retry. */
  public static final int USAGE = 2;
  /** No such tenant, job, key or object in this account (404), or a download link that expired (410). */
  public static final int NOT_FOUND = 3;
  /** The API key is missing, wrong or revoked (401), or lacks the scope the request needs (403). */
  public static final int FORBIDDEN = 4;
  /** The request conflicts with the current state (409): a backup is running, the tenant is not authorized, ... */
  public static final int CONFLICT = 5;
  /** The server could not answer: unreachable, TLS refused, 5xx, or rate-limited (429): worth retrying later. */
  public static final int UNAVAILABLE = 6;
  /** A watched restore completed with skipped items: done, but something was not put back (see its skipped items). */
  public static final int SKIPPED_ITEMS = 7;

  /** The table {@code --help} shows. */
  static final String HELP = "Exit status:%n"
      + "  0  ok; a watched job completed%n"
      + "  1  failed: the job failed, was rejected or expired; checksum mismatch%n"
      + "  2  usage: a wrong command line, or a request the API found invalid (400)%n"
      + "  3  not found: no such tenant, job, key or object (404); link expired (410)%n"
      + "  4  wrong, revoked or missing API key (401); the key lacks a scope (403)%n"
      + "  5  conflict with the current state (409), e.g. a backup already runs%n"
      + "  6  unavailable: unreachable, TLS refused, 5xx or rate-limited (429): retry%n"
      + "  7  a watched restore completed with skipped items%n";

  private ExitCode() {}

  /** The status for an API answer that is not a success. */
  public static int forHttpStatus(int status) {
    return switch (status) {
      case 400, 413, 414, 415, 422 -> USAGE;
      case 401, 403 -> FORBIDDEN;
      case 404, 410 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 429 -> UNAVAILABLE;
      default -> status >= 500 ? UNAVAILABLE : FAILED;
    };
  }

  /** The status for a job in {@code state} (its JSON name), or empty while it has not ended. */
  public static Optional<Integer> forJobState(String state) {
    return switch (state) {
      case "completed" -> Optional.of(OK);
      case "completed_with_skipped_items" -> Optional.of(SKIPPED_ITEMS);
      case "failed", "rejected", "expired" -> Optional.of(FAILED);
      default -> Optional.empty();
    };
  }
}
