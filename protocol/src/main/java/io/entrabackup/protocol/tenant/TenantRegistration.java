package io.entrabackup.protocol.tenant;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a tenant registration must meet, shared by the HTTP layer (which answers 400) and the
 * entity (which rejects), so both say the same thing.
 */
public final class TenantRegistration {

  private TenantRegistration() {}

  public static final int MAX_DISPLAY_NAME_LENGTH = 256;

  private static final Pattern GUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  // RFC 1123 labels, at least two of them, as Entra verified domains are (contoso.onmicrosoft.com).
  private static final Pattern DOMAIN =
      Pattern.compile("(?=.{4,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}");

  /** Returns why the display name is unacceptable, or empty when it is fine. */
  public static Optional<String> displayNameProblem(String displayName) {
    if (displayName == null || displayName.isBlank()) {
      return Optional.of("displayName is required and must not be blank");
    }
    if (displayName.length() > MAX_DISPLAY_NAME_LENGTH) {
      return Optional.of(
          "displayName is " + displayName.length() + " characters long; at most "
              + MAX_DISPLAY_NAME_LENGTH + " are allowed");
    }
    if (displayName.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("displayName must not contain control characters such as line breaks or tabs");
    }
    return Optional.empty();
  }

  /** Returns why the Entra tenant id or domain is unacceptable, or empty when it is fine or absent. */
  /** Whether {@code entraTenant} names the directory by its id (a GUID) rather than by a domain. */
  public static boolean isDirectoryId(String entraTenant) {
    return GUID.matcher(entraTenant.strip()).matches();
  }

  public static Optional<String> entraTenantProblem(Optional<String> entraTenant) {
    return entraTenant
        .filter(value -> !GUID.matcher(value).matches() && !DOMAIN.matcher(value).matches())
        .map(value -> "entraTenant must be an Entra tenant id (a GUID) or a domain such as"
            + " contoso.onmicrosoft.com");
  }
}
