package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Guards against authorizing the wrong directory: when the operator named the Entra tenant (id or
 * domain) at registration, the tenant that consented must be that one.
 */
final class EntraTenantMatch {

  private EntraTenantMatch() {}

  static Optional<String> mismatch(Optional<String> registeredAs, CompleteConsent consent) {
    return mismatch(registeredAs, consent.entraTenantId(), consent.organizationName(), consent.verifiedDomains());
  }

  static Optional<String> mismatch(
      Optional<String> registeredAs, String entraTenantId, String organizationName, List<String> verifiedDomains) {
    if (registeredAs.isEmpty()) {
      return Optional.empty();
    }
    String expected = registeredAs.get().toLowerCase(Locale.ROOT);
    boolean matches = expected.equals(entraTenantId.toLowerCase(Locale.ROOT))
        || verifiedDomains.stream().anyMatch(domain -> domain.toLowerCase(Locale.ROOT).equals(expected));
    return matches
        ? Optional.empty()
        : Optional.of("Consent came from Entra tenant " + entraTenantId + " (" + organizationName
            + "), but this tenant was registered as " + registeredAs.get() + "; sign in with an admin of that tenant.");
  }
}
