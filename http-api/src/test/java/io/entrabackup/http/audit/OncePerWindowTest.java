package io.entrabackup.http.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A burst is recorded once per window per address, however long it goes on. */
class OncePerWindowTest {

  private Instant now = Instant.parse("2026-12-06T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void theThresholdIsReachedOnceAWindowPerKey() {
    var bursts = new OncePerWindow(3, Duration.ofMinutes(1), 100, clock);
    List<Boolean> first = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      first.add(bursts.occurred("198.51.100.1"));
    }
    assertEquals(List.of(false, false, true, false, false, false, false, false, false, false), first);
    assertEquals(false, bursts.occurred("198.51.100.2"), "another address counts apart");

    now = now.plus(Duration.ofMinutes(1));
    assertEquals(List.of(false, false, true), List.of(bursts.occurred("198.51.100.1"),
        bursts.occurred("198.51.100.1"), bursts.occurred("198.51.100.1")));
  }

  @Test
  void memoryStaysBounded() {
    var bursts = new OncePerWindow(1, Duration.ofMinutes(1), 2, clock);
    for (int i = 0; i < 1000; i++) {
      assertEquals(true, bursts.occurred("address-" + i));
    }
  }
}
