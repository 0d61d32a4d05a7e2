package io.entrabackup.cluster.approval;

import io.entrabackup.protocol.account.AccountSettings;
import io.entrabackup.protocol.account.FourEyes;
import io.entrabackup.protocol.account.PendingFourEyes;
import java.time.Instant;
import java.util.Optional;

/**
 * How a change to an account's four-eyes rule takes effect. What makes it stricter (a rule turned on, a longer window)
 * holds at once; what relaxes it (a rule turned off, a shorter window while any rule is on) waits as long as the
 * window in force. Without
 * this, one key holding {@code admin} and {@code restore} could turn four eyes off, restore alone and turn it back on
 * within a minute. With it, the relaxation stands on the Account page, in {@code GET settings} and in the audit trail
 * for as long as a request would have waited for a second key: the account's other admins have the same time to see
 * it and undo it (saving the rule in force again cancels it) as they would have had to reject the request. A delay
 * needs no second admin key, which a one-key account does not have; approval by one would be four eyes on the rule
 * itself, but then a stuck relaxation would need a way out, and the delay is its own way out.
 */
public final class FourEyesChange {

  private FourEyesChange() {}

  /** The settings in force at {@code now}: a pending relaxation whose time has come has taken effect. */
  public static AccountSettings inForce(AccountSettings stored, Instant now) {
    return stored.pendingFourEyes()
        .filter(pending -> !now.isBefore(pending.from()))
        .map(pending -> new AccountSettings(pending.fourEyes()))
        .orElse(stored);
  }

  /**
   * What {@code keyId} asking for {@code requested} at {@code now} leaves stored, given the settings in force:
   * the stricter of the two at once, and the rest pending (replacing any earlier pending relaxation).
   */
  public static AccountSettings apply(AccountSettings inForce, FourEyes requested, String keyId, Instant now) {
    FourEyes current = inForce.fourEyes();
    if (!anythingWaits(current)) {
      return new AccountSettings(requested); // nothing to relax: its window is not in use either
    }
    FourEyes atOnce = strictest(current, requested);
    if (sameRule(atOnce, requested)) {
      return new AccountSettings(requested);
    }
    return new AccountSettings(atOnce,
        Optional.of(new PendingFourEyes(requested, now.plus(current.window()), keyId, now)));
  }

  private static boolean anythingWaits(FourEyes rule) {
    return rule.privilegedRestores() || rule.everyRestore() || rule.tenantDownloads();
  }

  private static FourEyes strictest(FourEyes a, FourEyes b) {
    String window = a.window().compareTo(b.window()) >= 0 ? a.approvalWindow() : b.approvalWindow();
    return new FourEyes(a.privilegedRestores() || b.privilegedRestores(), a.everyRestore() || b.everyRestore(),
        a.tenantDownloads() || b.tenantDownloads(), window);
  }

  private static boolean sameRule(FourEyes a, FourEyes b) {
    return a.privilegedRestores().equals(b.privilegedRestores()) && a.everyRestore().equals(b.everyRestore())
        && a.tenantDownloads().equals(b.tenantDownloads()) && a.window().equals(b.window());
  }
}
