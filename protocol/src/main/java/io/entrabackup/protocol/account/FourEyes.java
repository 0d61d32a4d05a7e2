package io.entrabackup.protocol.account;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An account's four-eyes rule: which jobs wait for a second key of the account to approve them before they run.
 *
 * @param privilegedRestores restores of privileged objects wait: the memberships of a privileged directory role and
 *     assignments of a privileged role (the roles are listed in {@code PrivilegedRoles})
 * @param everyRestore every restore waits, privileged or not
 * @param tenantDownloads downloads of a whole tenant wait
 * @param approvalWindow how long a request waits for its approval before it expires, as an ISO-8601 duration
 *     ({@code PT24H})
 */
public record FourEyes(Boolean privilegedRestores, Boolean everyRestore, Boolean tenantDownloads,
    String approvalWindow) {

  public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
  /** Shorter windows are allowed for trying the rule out; nobody approves within seconds in earnest. */
  public static final Duration SHORTEST_WINDOW = Duration.ofSeconds(10);
  public static final Duration LONGEST_WINDOW = Duration.ofDays(7);

  /** Nothing waits: what an account that never chose has. */
  public static final FourEyes OFF = new FourEyes(false, false, false, DEFAULT_WINDOW.toString());

  public FourEyes {
    privilegedRestores = privilegedRestores != null && privilegedRestores;
    everyRestore = everyRestore != null && everyRestore;
    tenantDownloads = tenantDownloads != null && tenantDownloads;
    approvalWindow = approvalWindow == null || approvalWindow.isBlank()
        ? DEFAULT_WINDOW.toString()
        : approvalWindow.strip();
  }

  /** What is wrong with these settings, for the operator; empty when they can be kept. */
  public Optional<String> problem() {
    Optional<Duration> window = parseWindow(approvalWindow);
    if (window.isEmpty()) {
      return Optional.of("approvalWindow must be an ISO-8601 duration such as PT24H");
    }
    if (window.get().compareTo(SHORTEST_WINDOW) < 0 || window.get().compareTo(LONGEST_WINDOW) > 0) {
      return Optional.of("approvalWindow must be between " + SHORTEST_WINDOW + " and " + LONGEST_WINDOW);
    }
    return Optional.empty();
  }

  /** The window as a duration (the default when it cannot be read: validated settings always can). */
  public Duration window() {
    return parseWindow(approvalWindow).orElse(DEFAULT_WINDOW);
  }

  /** Whether a restore waits, given whether its object is privileged. */
  public boolean restoreWaits(boolean privileged) {
    return everyRestore || (privilegedRestores && privileged);
  }

  private static Optional<Duration> parseWindow(String text) {
    try {
      return Optional.of(Duration.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
