package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import java.util.Locale;
import java.util.Optional;

/**
 * Guards against authorizing the wrong directory: when the operator named the Entra tenant (id or
 * domain) at registration, the tenant that consented must be that one.
 */
final class EntraTenantMatch {

  private EntraTenantMatch() {}

  static Optional<String> mismatch(Optional<String> registeredAs, CompleteConsent consent) {
    if (registeredAs.isEmpty()) {
      return Optional.empty();
    }
    String expected = registeredAs.get().toLowerCase(Locale.ROOT);
    boolean matches = expected.equals(consent.entraTenantId().toLowerCase(Locale.ROOT))
        || consent.verifiedDomains().stream().anyMatch(domain -> domain.toLowerCase(Locale.ROOT).equals(expected));
    return matches
        ? Optional.empty()
        : Optional.of("Consent came from Entra tenant " + consent.entraTenantId() + " (" + consent.organizationName()
            + "), but this tenant was registered as " + registeredAs.get() + "; sign in with an admin of that tenant.");
  }
}
