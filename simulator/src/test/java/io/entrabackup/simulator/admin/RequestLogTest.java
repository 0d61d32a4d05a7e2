package io.entrabackup.simulator.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The request log's Retry-After check: which requests came inside a window an earlier answer opened. */
class RequestLogTest {

  /** When each logged answer left, in the order they are logged. */
  private final Deque<Long> answeredAt = new ArrayDeque<>();
  private final RequestLog log = new RequestLog(answeredAt::remove);

  /** Logs a Graph answer that left at {@code leftAt} for a request that took {@code tookMillis}. */
  private void answer(long leftAt, long tookMillis, int status, String retryAfter) {
    answeredAt.add(leftAt);
    log.record("GET", "/v1.0/users/delta", status, 10, 1, tookMillis * 1000, false, retryAfter);
  }

  @Test
  void aRequestAfterTheWindowClosedHonoursIt() {
    answer(1_000, 10, 429, "2");
    answer(3_020, 10, 200, null);

    RequestLog.RetryAfterPacing pacing = log.retryAfterPacing();
    assertEquals(1, pacing.windows());
    assertTrue(pacing.early().isEmpty(), pacing.early().toString());
    pacing.assertHonoured();
  }

  @Test
  void aRequestThatArrivedInsideTheWindowIsNamedWithHowEarlyItCame() {
    answer(1_000, 10, 503, "1.5");
    answer(2_100, 50, 200, null); // arrived at 2,050: 450 ms before 2,500

    RequestLog.RetryAfterPacing pacing = log.retryAfterPacing();
    assertEquals(1, pacing.early().size());
    assertEquals(450, pacing.early().get(0).millisEarly());
    AssertionError error = assertThrows(AssertionError.class, pacing::assertHonoured);
    assertTrue(error.getMessage().contains("450 ms inside a Retry-After window"), error.getMessage());
  }

  @Test
  void aWindowGivenAsAnHttpDateClosesAtThatDate() {
    long closes = 60_000;
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(Instant.ofEpochMilli(closes), ZoneOffset.UTC));
    answer(1_000, 10, 429, date);
    answer(59_000, 10, 200, null);
    answer(61_000, 10, 200, null);

    RequestLog.RetryAfterPacing pacing = log.retryAfterPacing();
    assertEquals(1, pacing.early().size(), pacing.early().toString());
    assertEquals(59_000, pacing.early().get(0).request().at());
  }

  @Test
  void theCheckProvesNothingWhenNoAnswerAskedToWait() {
    answer(1_000, 10, 200, null);

    AssertionError error = assertThrows(AssertionError.class, () -> log.retryAfterPacing().assertHonoured());
    assertTrue(error.getMessage().contains("proves nothing"), error.getMessage());
  }

  @Test
  void requestsOutsideGraphAreNotPaced() {
    answer(1_000, 10, 429, "5");
    answeredAt.add(1_100L);
    log.record("POST", "/contoso/oauth2/v2.0/token", 200, 10, 0, 1_000, false, null);

    assertTrue(log.retryAfterPacing().early().isEmpty());
  }
}
