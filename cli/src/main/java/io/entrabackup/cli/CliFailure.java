package io.entrabackup.cli;

/**
 * Why a command stops, already worded for its user (one line, nothing secret), with the exit status it ends with.
 * Every failure the client foresees is one of these; anything else is a bug and ends with {@link ExitCode#FAILED}.
 */
public final class CliFailure extends RuntimeException {

  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** A problem document the API answered: {@code title: detail (HTTP status)}. */
  static CliFailure problem(int status, String title, String detail) {
    String text = Text.clean(title == null || title.isBlank() ? "HTTP " + status : title);
    String why = detail == null || detail.isBlank() ? "" : ": " + Text.clean(detail);
    return new CliFailure(ExitCode.forHttpStatus(status), text + why + " (HTTP " + status + ")");
  }
}
