package io.entrabackup.simulator.state;

import io.entrabackup.simulator.SimClock;
import io.entrabackup.simulator.identity.AppRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the simulator knows besides the directory, which has no history to replay: the app registrations, every
 * tenant's admin consents and the apps' directory roles, and how far the clock was moved. Saved whole after every
 * change.
 *
 * @param consents tenant id to client id to granted permissions
 * @param directoryRoles tenant id to client id to role template ids
 * @param clockOffsetMillis the simulator clock minus wall time
 */
record RegistrySnapshot(List<StoredApp> apps, Map<String, Map<String, Set<String>>> consents,
                        Map<String, Map<String, Set<String>>> directoryRoles, long clockOffsetMillis) {
  static final String FILE = "simulator-registry.json";

  /**
   * An app registration with its secret, if it has one its certificate credential as PEM, and its
   * groupMembershipClaims (null: none, and in files kept before it was modelled).
   */
  record StoredApp(String clientId, String clientSecret, List<String> redirectUris, List<String> permissions,
                   String certificatePem, String groupMembershipClaims) {}

  static RegistrySnapshot of(AppRegistry registry, SimClock clock) {
    List<StoredApp> apps = registry.apps().stream()
        .sorted(java.util.Comparator.comparing(AppRegistry.App::clientId))
        .map(a -> new StoredApp(a.clientId(), a.clientSecret(), a.redirectUris(), a.permissions(), pem(a.certificate()),
            a.groupMembershipClaims()))
        .toList();
    return new RegistrySnapshot(apps, sorted(registry.consents()), sorted(registry.directoryRoles()),
        clock.offset().toMillis());
  }

  /** Puts the registrations, consents, roles and clock back (before the start flags register their apps). */
  void restoreInto(AppRegistry registry, SimClock clock) {
    for (StoredApp a : apps) {
      registry.register(a.clientId(), a.clientSecret(), a.redirectUris(), a.permissions());
      if (a.certificatePem() != null) {
        registry.addCertificate(a.clientId(), certificate(a.certificatePem()));
      }
      if (a.groupMembershipClaims() != null) {
        registry.groupMembershipClaims(a.clientId(), a.groupMembershipClaims());
      }
    }
    consents.forEach((tenant, byApp) -> byApp.forEach((clientId, granted) -> {
      if (!granted.isEmpty() || registry.app(clientId) != null) {
        registry.consent(tenant, clientId, List.copyOf(granted));
      }
    }));
    directoryRoles.forEach((tenant, byApp) -> byApp.forEach((clientId, roles) ->
        roles.forEach(role -> registry.grantDirectoryRole(tenant, clientId, role))));
    clock.offset(Duration.ofMillis(clockOffsetMillis));
  }

  private static Map<String, Map<String, Set<String>>> sorted(Map<String, Map<String, Set<String>>> byTenant) {
    Map<String, Map<String, Set<String>>> out = new java.util.TreeMap<>();
    byTenant.forEach((tenant, byApp) -> {
      Map<String, Set<String>> apps = new java.util.TreeMap<>();
      byApp.forEach((app, values) -> apps.put(app, new TreeSet<>(values)));
      out.put(tenant, apps);
    });
    return out;
  }

  private static String pem(X509Certificate certificate) {
    if (certificate == null) {
      return null;
    }
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot encode the certificate of an app", e);
    }
  }

  private static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read a kept app certificate", e);
    }
  }
}
