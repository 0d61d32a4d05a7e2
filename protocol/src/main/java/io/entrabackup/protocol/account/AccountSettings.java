package io.entrabackup.protocol.account;

import java.util.Optional;

/**
 * An account's own settings, as {@code GET/PUT /api/v1/accounts/{id}/settings} shows and takes them.
 *
 * @param fourEyes which jobs wait for a second key's approval ({@link FourEyes}), as in force now
 * @param pendingFourEyes a relaxation of {@code fourEyes} that takes effect later ({@link PendingFourEyes}); shown,
 *     never taken from a request
 */
public record AccountSettings(FourEyes fourEyes, Optional<PendingFourEyes> pendingFourEyes) {

  public static final AccountSettings DEFAULTS = new AccountSettings(FourEyes.OFF);

  public AccountSettings {
    fourEyes = fourEyes == null ? FourEyes.OFF : fourEyes;
    pendingFourEyes = pendingFourEyes == null ? Optional.empty() : pendingFourEyes;
  }

  /** Settings with nothing pending. */
  public AccountSettings(FourEyes fourEyes) {
    this(fourEyes, Optional.empty());
  }
}
