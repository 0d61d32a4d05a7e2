package io.entrabackup.cluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyCacheTest {

  private static final Caller READER = new Caller(new AccountId("msp-a"), "k1", Set.of(Scope.READ), false);

  private final MovingClock clock = new MovingClock();
  private final ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), clock);

  @Test
  void aVerifiedKeyIsTrustedForTheTtlWithItsScopes() {
    cache.put("h1", READER);

    assertEquals(Optional.of(READER), cache.get("h1"));
    clock.advance(Duration.ofSeconds(30));
    assertTrue(cache.get("h1").isEmpty());
  }

  @Test
  void aVerificationFinishingAfterARevocationCannotPutTheKeyBack() {
    cache.put("h1", READER);
    cache.revoke("h1");

    // A verify that read the row just before the revocation was written completes now.
    cache.put("h1", READER);

    assertTrue(cache.get("h1").isEmpty());
    clock.advance(Duration.ofSeconds(59));
    cache.put("h1", READER);
    assertTrue(cache.get("h1").isEmpty());
  }

  @Test
  void otherKeysStayCachedWhenOneIsRevoked() {
    cache.put("h1", READER);
    cache.put("h2", READER);

    cache.revoke("h1");

    assertEquals(Optional.of(READER), cache.get("h2"));
  }

  private static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-12-06T02:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override public Instant instant() {
      return now;
    }
  }
}
