package io.entrabackup.cluster.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.account.AccountSettings;
import io.entrabackup.protocol.account.FourEyes;
import io.entrabackup.protocol.account.PendingFourEyes;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tightening four eyes holds at once; relaxing it waits for the approval window in force, in view. */
class FourEyesChangeTest {

  private static final Instant NOW = Instant.parse("2026-07-15T09:00:00Z");
  private static final FourEyes STRICT = new FourEyes(true, true, true, "PT2H");

  @Test
  void turningFourEyesOnHoldsAtOnce() {
    AccountSettings saved = FourEyesChange.apply(AccountSettings.DEFAULTS, STRICT, "k1", NOW);
    assertEquals(new AccountSettings(STRICT), saved);
  }

  @Test
  void turningItOffWaitsTheWindowInForceAndThenHolds() {
    FourEyes off = new FourEyes(false, false, false, "PT2H");
    AccountSettings saved = FourEyesChange.apply(new AccountSettings(STRICT), off, "k1", NOW);
    assertEquals(STRICT, saved.fourEyes(), "still in force");
    PendingFourEyes pending = saved.pendingFourEyes().orElseThrow();
    assertEquals(new PendingFourEyes(off, NOW.plus(Duration.ofHours(2)), "k1", NOW), pending);
    assertEquals(saved, FourEyesChange.inForce(saved, NOW.plus(Duration.ofHours(2)).minusMillis(1)));
    assertEquals(new AccountSettings(off), FourEyesChange.inForce(saved, NOW.plus(Duration.ofHours(2))));
  }

  @Test
  void aShorterWindowIsARelaxationSoItCannotShortenTheWaitForTheNextOne() {
    FourEyes quick = new FourEyes(true, true, true, "PT10S");
    AccountSettings saved = FourEyesChange.apply(new AccountSettings(STRICT), quick, "k1", NOW);
    assertEquals(STRICT, saved.fourEyes());
    assertEquals(NOW.plus(Duration.ofHours(2)), saved.pendingFourEyes().orElseThrow().from());
  }

  @Test
  void aMixedChangeTightensAtOnceAndRelaxesLater() {
    FourEyes current = new FourEyes(false, true, false, "PT1H");
    FourEyes requested = new FourEyes(false, false, true, "PT1H");
    AccountSettings saved = FourEyesChange.apply(new AccountSettings(current), requested, "k1", NOW);
    assertEquals(new FourEyes(false, true, true, "PT1H"), saved.fourEyes(), "downloads wait from now on");
    assertEquals(requested, saved.pendingFourEyes().orElseThrow().fourEyes());
  }

  @Test
  void savingTheRuleInForceAgainCancelsAPendingRelaxation() {
    FourEyes off = new FourEyes(false, false, false, "PT2H");
    AccountSettings pending = FourEyesChange.apply(new AccountSettings(STRICT), off, "k1", NOW);
    assertTrue(pending.pendingFourEyes().isPresent());
    AccountSettings cancelled = FourEyesChange.apply(pending, STRICT, "k2", NOW.plusSeconds(60));
    assertEquals(new AccountSettings(STRICT), cancelled);
    assertTrue(cancelled.pendingFourEyes().isEmpty());
  }
}
