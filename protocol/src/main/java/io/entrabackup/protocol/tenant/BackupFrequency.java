package io.entrabackup.protocol.tenant;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * How often a tenant is backed up, as an ISO-8601 duration. Only 24 hours ({@code P1D}) is offered
 * today; the model stores any duration so other frequencies need no schema change.
 */
public final class BackupFrequency {

  public static final Duration DAILY = Duration.ofDays(1);
  public static final List<Duration> OFFERED = List.of(DAILY);

  private BackupFrequency() {}

  /** Parses {@code P1D}-style text, or explains what is accepted. */
  public static Duration parse(String text) {
    Duration parsed;
    try {
      parsed = text == null ? null : Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      parsed = null;
    }
    if (parsed == null || !OFFERED.contains(parsed)) {
      throw new IllegalArgumentException("frequency must be \"P1D\" (every 24 hours); no other frequency is offered yet");
    }
    return parsed;
  }

  /** The ISO-8601 text of a frequency, {@code P1D} for a day. */
  public static String format(Duration frequency) {
    return frequency.equals(DAILY) ? "P1D" : frequency.toString();
  }
}
