package io.entrabackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

  @Test
  void httpStatusesMapToWhatAScriptDoesNext() {
    assertEquals(ExitCode.USAGE, ExitCode.forHttpStatus(400));
    assertEquals(ExitCode.USAGE, ExitCode.forHttpStatus(413));
    assertEquals(ExitCode.USAGE, ExitCode.forHttpStatus(415));
    assertEquals(ExitCode.FORBIDDEN, ExitCode.forHttpStatus(401));
    assertEquals(ExitCode.FORBIDDEN, ExitCode.forHttpStatus(403));
    assertEquals(ExitCode.NOT_FOUND, ExitCode.forHttpStatus(404));
    assertEquals(ExitCode.NOT_FOUND, ExitCode.forHttpStatus(410));
    assertEquals(ExitCode.CONFLICT, ExitCode.forHttpStatus(409));
    assertEquals(ExitCode.UNAVAILABLE, ExitCode.forHttpStatus(429));
    assertEquals(ExitCode.UNAVAILABLE, ExitCode.forHttpStatus(500));
    assertEquals(ExitCode.UNAVAILABLE, ExitCode.forHttpStatus(503));
    assertEquals(ExitCode.FAILED, ExitCode.forHttpStatus(416));
  }

  @Test
  void aJobsOutcomeIsItsExitStatusOnceItEnded() {
    assertEquals(Optional.of(0), ExitCode.forJobState("completed"));
    assertEquals(Optional.of(7), ExitCode.forJobState("completed_with_skipped_items"));
    assertEquals(Optional.of(1), ExitCode.forJobState("failed"));
    assertEquals(Optional.of(1), ExitCode.forJobState("rejected"));
    assertEquals(Optional.of(1), ExitCode.forJobState("expired"));
    assertEquals(Optional.empty(), ExitCode.forJobState("queued"));
    assertEquals(Optional.empty(), ExitCode.forJobState("running"));
    assertEquals(Optional.empty(), ExitCode.forJobState("awaiting_approval"));
  }
}
