package io.entrabackup.simulator.identity;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** App registrations (all multi-tenant) and, per tenant, which apps an admin consented to with which permissions. */
public final class AppRegistry {
  /** Application permissions a backup/restore app asks for by default (read and write). */
  public static final List<String> DEFAULT_PERMISSIONS = List.of("User.ReadWrite.All", "Group.ReadWrite.All",
      "GroupMember.ReadWrite.All", "RoleManagement.ReadWrite.Directory", "Directory.ReadWrite.All");

  /** Read-only permissions: enough for backup, not for restore. */
  public static final List<String> READ_PERMISSIONS = List.of("User.Read.All", "Group.Read.All",
      "GroupMember.Read.All", "RoleManagement.Read.Directory", "Directory.Read.All");

  /** The values of an app registration's {@code groupMembershipClaims}, as its manifest takes them. */
  public static final Set<String> GROUP_MEMBERSHIP_CLAIMS =
      Set.of("None", "SecurityGroup", "DirectoryRole", "ApplicationGroup", "All");

  /**
   * An app registration.
   *
   * @param groupMembershipClaims the manifest's setting; null (a new registration's default) emits no groups or roles
   */
  public record App(String clientId, String clientSecret, List<String> redirectUris, List<String> permissions,
                    String displayName, X509Certificate certificate, String groupMembershipClaims) {

    /** Whether its tokens carry the signed-in user's directory roles ({@code wids}): "DirectoryRole" or "All". */
    public boolean emitsDirectoryRoles() {
      return "DirectoryRole".equals(groupMembershipClaims) || "All".equals(groupMembershipClaims);
    }
  }

  private final Map<String, App> apps = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Set<String>>> consents = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Set<String>>> directoryRoles = new ConcurrentHashMap<>();
  private volatile Runnable onChange = () -> { };

  /** Runs after every change of a registration, a consent or a role (a kept simulator state saves them). */
  public void reportChangesTo(Runnable listener) {
    this.onChange = java.util.Objects.requireNonNull(listener);
  }

  /** Assigns an Entra directory role (by template id) to the app's service principal in a tenant: tokens carry it in wids. */
  public void grantDirectoryRole(String tenantId, String clientId, String roleTemplateId) {
    directoryRoles.computeIfAbsent(tenantId.toLowerCase(), t -> new ConcurrentHashMap<>())
        .computeIfAbsent(clientId, c -> ConcurrentHashMap.newKeySet()).add(roleTemplateId.toLowerCase());
    onChange.run();
  }

  /** The directory role template ids the app's service principal holds in the tenant. */
  public Set<String> directoryRoles(String tenantId, String clientId) {
    return Set.copyOf(directoryRoles.getOrDefault(tenantId.toLowerCase(), Map.of()).getOrDefault(clientId, Set.of()));
  }

  public App register(String clientId, String clientSecret, List<String> redirectUris, List<String> permissions) {
    App previous = apps.get(clientId);
    App app = new App(clientId, clientSecret, List.copyOf(redirectUris),
        List.copyOf(permissions == null || permissions.isEmpty() ? DEFAULT_PERMISSIONS : permissions),
        "entra-backup " + clientId.substring(0, Math.min(8, clientId.length())), previous == null ? null : previous.certificate(),
        previous == null ? null : previous.groupMembershipClaims());
    apps.put(clientId, app);
    onChange.run();
    return app;
  }

  /** Registers a certificate credential (client assertion) for an app. */
  public void addCertificate(String clientId, X509Certificate certificate) {
    apps.computeIfPresent(clientId, (k, a) -> new App(a.clientId(), a.clientSecret(), a.redirectUris(), a.permissions(),
        a.displayName(), certificate, a.groupMembershipClaims()));
    onChange.run();
  }

  /**
   * Sets the registration's {@code groupMembershipClaims} (token configuration: which groups and directory roles its
   * tokens carry); null or "None" for none.
   */
  public void groupMembershipClaims(String clientId, String value) {
    if (value != null && !GROUP_MEMBERSHIP_CLAIMS.contains(value)) {
      throw new IllegalArgumentException("groupMembershipClaims is one of " + new java.util.TreeSet<>(GROUP_MEMBERSHIP_CLAIMS)
          + ", not " + value);
    }
    String kept = "None".equals(value) ? null : value;
    apps.computeIfPresent(clientId, (k, a) -> new App(a.clientId(), a.clientSecret(), a.redirectUris(), a.permissions(),
        a.displayName(), a.certificate(), kept));
    onChange.run();
  }

  public App app(String clientId) {
    return clientId == null ? null : apps.get(clientId);
  }

  public List<App> apps() {
    return List.copyOf(apps.values());
  }

  /** Records an admin consent: the app gets its requested permissions (or those given) in the tenant. */
  public void consent(String tenantId, String clientId, List<String> permissions) {
    App app = apps.get(clientId);
    List<String> granted = permissions == null || permissions.isEmpty() ? app.permissions() : permissions;
    consents.computeIfAbsent(tenantId.toLowerCase(), t -> new ConcurrentHashMap<>()).put(clientId, Set.copyOf(granted));
    onChange.run();
  }

  public void revoke(String tenantId, String clientId) {
    Map<String, Set<String>> t = consents.get(tenantId.toLowerCase());
    if (t != null && t.remove(clientId) != null) {
      onChange.run();
    }
  }

  /** The permissions consented for the app in the tenant, or null when it was never consented there. */
  public Set<String> consented(String tenantId, String clientId) {
    Map<String, Set<String>> t = consents.get(tenantId.toLowerCase());
    return t == null ? null : t.get(clientId);
  }

  /** Every consent: tenant id (lower case) to client id to the granted permissions. */
  public Map<String, Map<String, Set<String>>> consents() {
    Map<String, Map<String, Set<String>>> all = new java.util.TreeMap<>();
    consents.forEach((tenant, byApp) -> all.put(tenant, new java.util.TreeMap<>(byApp)));
    return all;
  }

  /** Every directory role of an app: tenant id (lower case) to client id to role template ids. */
  public Map<String, Map<String, Set<String>>> directoryRoles() {
    Map<String, Map<String, Set<String>>> all = new java.util.TreeMap<>();
    directoryRoles.forEach((tenant, byApp) -> {
      Map<String, Set<String>> copy = new java.util.TreeMap<>();
      byApp.forEach((app, roles) -> copy.put(app, Set.copyOf(roles)));
      all.put(tenant, copy);
    });
    return all;
  }

  public Map<String, Set<String>> consentsOf(String tenantId) {
    return Map.copyOf(consents.getOrDefault(tenantId.toLowerCase(), Map.of()));
  }
}
