package io.entrabackup.protocol.retention;

import java.util.List;
import java.util.Optional;

/**
 * What an administrator sets: keep versions for {@code keepDays} days (one of {@link #CHOICES}), or without limit
 * ({@code keepDays} absent or null). For a tenant, {@code inherit: true} drops its own setting so the account's
 * applies again.
 */
public record RetentionSetting(Integer keepDays, Boolean inherit) {

  /** The periods offered: a month, a quarter, a year (and unlimited). */
  public static final List<Integer> CHOICES = List.of(30, 90, 365);

  public static final RetentionSetting UNLIMITED = new RetentionSetting(null, false);

  public static RetentionSetting keep(int days) {
    return new RetentionSetting(days, false);
  }

  public boolean inherits() {
    return Boolean.TRUE.equals(inherit);
  }

  public Optional<Integer> days() {
    return Optional.ofNullable(keepDays);
  }

  /** Why the setting is refused, if it is. */
  public Optional<String> problem() {
    if (inherits() && keepDays != null) {
      return Optional.of("give keepDays or inherit, not both");
    }
    if (keepDays != null && !CHOICES.contains(keepDays)) {
      return Optional.of("keepDays must be one of " + CHOICES + ", or null for unlimited");
    }
    return Optional.empty();
  }
}
