package io.entrabackup.simulator.admin;

import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.directory.Churn;
import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.RoleCatalog;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.identity.AppRegistry;
import io.entrabackup.simulator.throttle.Faults;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The simulator's control surface, in-process; the admin HTTP API under {@code /_simulator} calls the same methods. */
public final class SimulatorAdmin {
  private final Services services;

  public SimulatorAdmin(Services services) {
    this.services = services;
  }

  // ---- tenants and objects --------------------------------------------------------------------------------------

  public TenantInfo createTenant(int users, int groups) {
    return info(services.directory().createTenant(users, groups));
  }

  public List<TenantInfo> tenants() {
    return services.directory().tenants().stream().map(SimulatorAdmin::info).toList();
  }

  static TenantInfo info(Tenant t) {
    return new TenantInfo(t.id().toString(), t.domain(), t.displayName(), t.userCount(), t.groupCount());
  }

  /** Changes a tenant outside Graph (see {@link Churn}); returns the ids touched per action. */
  public Map<String, Object> churn(String tenantId, Churn.Spec spec) {
    return Churn.apply(tenant(tenantId), spec);
  }

  /** An object's current state as the simulator holds it: kind, live/softDeleted/deleted, all properties, relations. */
  public Map<String, Object> object(String tenantId, String objectId) {
    Tenant t = tenant(tenantId);
    synchronized (t) {
      long key = t.resolve(objectId);
      if (key < 0) {
        RoleCatalog.RoleAssignment a = t.roles().assignment(objectId);
        if (a != null) {
          return Map.of("kind", "roleAssignment", "state", "live", "properties", Map.of("id", a.id(),
              "roleDefinitionId", a.roleDefinitionId(), "principalId", t.objectId(a.principal()),
              "directoryScopeId", a.directoryScopeId()));
        }
        return null;
      }
      ObjectKind kind = Membership.kindOf(key);
      int index = Membership.indexOf(key);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("kind", kind.typeName());
      out.put("state", !t.exists(kind, index) ? "deleted" : t.isSoftDeleted(kind, index) ? "softDeleted" : "live");
      if (kind == ObjectKind.USER) {
        out.put("origin", t.userKindName(index));
      }
      if (t.exists(kind, index)) {
        out.put("properties", t.properties(kind, index));
        if (kind == ObjectKind.GROUP) {
          out.put("groupKind", t.groupKind(index).name());
          for (String rel : List.of("members", "owners")) {
            Membership m = t.relation(index, rel);
            List<String> first = new ArrayList<>();
            int count = 0;
            for (int p = 0, n = m.positions(); p < n; p++) {
              long k = m.at(p);
              if (k >= 0) {
                count++;
                if (first.size() < 1000) {
                  first.add(t.objectId(k));
                }
              }
            }
            out.put(rel, Map.of("count", count, "ids", first));
          }
        }
      }
      return out;
    }
  }

  // ---- apps and consent -----------------------------------------------------------------------------------------

  public AppRegistry.App registerApp(String clientId, String clientSecret, List<String> redirectUris, List<String> permissions) {
    return services.apps().register(clientId, clientSecret, redirectUris, permissions);
  }

  /** Registered apps (secrets left out) with the tenants that consented and what they granted. */
  public List<Map<String, Object>> apps() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AppRegistry.App a : services.apps().apps()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("clientId", a.clientId());
      m.put("displayName", a.displayName());
      m.put("redirectUris", a.redirectUris());
      m.put("permissions", a.permissions());
      m.put("hasCertificate", a.certificate() != null);
      m.put("groupMembershipClaims", a.groupMembershipClaims() == null ? "None" : a.groupMembershipClaims());
      Map<String, Object> consents = new LinkedHashMap<>();
      for (Tenant t : services.directory().tenants()) {
        java.util.Set<String> granted = services.apps().consented(t.id().toString(), a.clientId());
        if (granted != null) {
          consents.put(t.id().toString(), Map.of("permissions", new java.util.TreeSet<>(granted),
              "directoryRoles", services.apps().directoryRoles(t.id().toString(), a.clientId())));
        }
      }
      m.put("consents", consents);
      out.add(m);
    }
    return out;
  }

  /**
   * The user principal name of a live member user of the directory who holds no directory role beyond the implicit
   * User role (someone who may sign in but is no administrator), for tests of what such a user can do.
   */
  public String memberWithoutRoles(String tenantId) {
    Tenant t = tenant(tenantId);
    for (int index = 1; index < t.size(ObjectKind.USER); index++) {
      if (!t.isLive(ObjectKind.USER, index)) {
        continue;
      }
      String upn = String.valueOf(t.property(ObjectKind.USER, index, "userPrincipalName"));
      java.util.Optional<io.entrabackup.simulator.identity.SignInAccount> user =
          io.entrabackup.simulator.identity.SignInAccount.userOf(t, upn);
      if (user.isPresent() && user.get().roles().equals(java.util.Set.of(
          io.entrabackup.simulator.identity.SignInAccount.USER))) {
        return user.get().userPrincipalName();
      }
    }
    throw new IllegalStateException("Every user of " + tenantId + " holds a directory role");
  }

  /** Sets an app registration's groupMembershipClaims (see {@link io.entrabackup.simulator.Simulator#groupMembershipClaims}). */
  public void groupMembershipClaims(String clientId, String value) {
    if (services.apps().app(clientId) == null) {
      throw new IllegalArgumentException("Unknown app " + clientId);
    }
    services.apps().groupMembershipClaims(clientId, value);
  }

  public void addCertificate(String clientId, X509Certificate certificate) {
    services.apps().addCertificate(clientId, certificate);
  }

  /** Grants admin consent directly (as if an admin had clicked Accept); null permissions = what the app requests. */
  public void consent(String tenantId, String clientId, List<String> permissions) {
    if (services.apps().app(clientId) == null) {
      throw new IllegalArgumentException("Unknown app " + clientId);
    }
    services.apps().consent(tenant(tenantId).id().toString(), clientId, permissions);
  }

  /**
   * Assigns a directory role to the app's service principal in a tenant (tokens then carry it in {@code wids}).
   * Writing users who hold admin roles needs Global Administrator, Privileged Authentication Administrator or
   * Privileged Role Administrator.
   */
  public void grantDirectoryRole(String tenantId, String clientId, String roleTemplateId) {
    services.apps().grantDirectoryRole(tenant(tenantId).id().toString(), clientId, roleTemplateId);
  }

  public void revokeConsent(String tenantId, String clientId) {
    services.apps().revoke(tenant(tenantId).id().toString(), clientId);
  }

  /** "page", "consent" or "refuse". */
  public void consentMode(String mode) {
    if (!List.of("page", "consent", "refuse").contains(mode)) {
      throw new IllegalArgumentException("consent mode must be page, consent or refuse");
    }
    services.consentMode().set(mode);
  }

  public String consentMode() {
    return services.consentMode().get();
  }

  // ---- clock ----------------------------------------------------------------------------------------------------

  public Instant now() {
    return services.clock().now();
  }

  public Instant advanceClock(Duration by) {
    return services.clock().advance(by);
  }

  public Instant setClock(Instant to) {
    return services.clock().set(to);
  }

  // ---- throttling, faults, request log --------------------------------------------------------------------------

  public void throttle(Double scale, Boolean enabled, Boolean fractionalRetryAfter) {
    services.throttle().configure(scale, enabled, fractionalRetryAfter);
  }

  public Map<String, Object> throttleSettings() {
    return Map.of("scale", services.throttle().scale(), "enabled", services.throttle().enabled(),
        "fractionalRetryAfter", services.throttle().fractionalRetryAfter());
  }

  public void addFault(Faults.Kind kind, double rate, int count, String pathContains, Double retryAfterSeconds, long delayMillis) {
    services.faults().add(new Faults.Rule(kind, rate, count, pathContains, retryAfterSeconds, delayMillis));
  }

  public void clearFaults() {
    services.faults().clear();
  }

  public List<Map<String, Object>> faults() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Faults.Rule r : services.faults().rules()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", r.kind.name());
      m.put("rate", r.rate);
      m.put("remaining", r.remaining());
      m.put("fired", r.fired());
      m.put("pathContains", r.pathContains);
      m.put("retryAfterSeconds", r.retryAfterSeconds);
      m.put("delayMillis", r.delayMillis);
      out.add(m);
    }
    return out;
  }

  /** Switches Graph quirks on or off (null leaves one unchanged); see {@code Quirks}. */
  public void quirks(Boolean removedInFullRounds, Boolean omitMemberRemovalsOfDeletedUsers) {
    services.quirks().set(removedInFullRounds, omitMemberRemovalsOfDeletedUsers);
  }

  /** Later delta rounds send every selected property of a changed object unless {@code Prefer: return=minimal}. */
  public void unchangedPropertiesInRounds(boolean on) {
    services.quirks().unchangedPropertiesInRounds(on);
  }

  public Map<String, Object> quirks() {
    return Map.of("removedInFullRounds", services.quirks().removedInFullRounds(),
        "omitMemberRemovalsOfDeletedUsers", services.quirks().omitMemberRemovalsOfDeletedUsers(),
        "unchangedPropertiesInRounds", services.quirks().unchangedPropertiesInRounds());
  }

  public RequestLog requestLog() {
    return services.requestLog();
  }

  public Map<String, Object> stats() {
    return services.requestLog().snapshot();
  }

  public void resetStats() {
    services.requestLog().reset();
  }

  private Tenant tenant(String idOrDomain) {
    Tenant t = services.directory().find(idOrDomain);
    if (t == null) {
      throw new IllegalArgumentException("Unknown tenant " + idOrDomain);
    }
    return t;
  }
}
