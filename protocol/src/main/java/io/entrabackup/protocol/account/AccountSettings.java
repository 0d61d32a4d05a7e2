package io.entrabackup.protocol.account;

/**
 * An account's own settings, as {@code GET/PUT /api/v1/accounts/{id}/settings} shows and takes them.
 *
 * @param fourEyes which jobs wait for a second key's approval ({@link FourEyes})
 */
public record AccountSettings(FourEyes fourEyes) {

  public static final AccountSettings DEFAULTS = new AccountSettings(FourEyes.OFF);

  public AccountSettings {
    fourEyes = fourEyes == null ? FourEyes.OFF : fourEyes;
  }
}
