package io.entrabackup.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a simulator starts: listening address, generated directory sizes, seed, where TLS material goes (and, with
 * {@code keepState}, the consents, registrations and directory changes kept across restarts), apps to register.
 */
public record SimulatorConfig(
    String host,
    int port,
    int tenants,
    int users,
    int groups,
    long seed,
    Path stateDir,
    boolean keepState,
    String trustStorePassword,
    double throttleScale,
    boolean throttleEnabled,
    String consentMode,
    List<AppRegistration> apps) {

  /** An app registration given at start (multi-tenant; consented nowhere until admin consent or an admin call). */
  public record AppRegistration(String clientId, String clientSecret, List<String> redirectUris, List<String> permissions,
                                boolean consentAllTenants, List<String> directoryRoles, String groupMembershipClaims) {

    /** With the registration's groupMembershipClaims left as a new registration has it (none). */
    public AppRegistration(String clientId, String clientSecret, List<String> redirectUris, List<String> permissions,
                           boolean consentAllTenants, List<String> directoryRoles) {
      this(clientId, clientSecret, redirectUris, permissions, consentAllTenants, directoryRoles, null);
    }

    /** Without directory roles for the app's service principal. */
    public AppRegistration(String clientId, String clientSecret, List<String> redirectUris, List<String> permissions,
                           boolean consentAllTenants) {
      this(clientId, clientSecret, redirectUris, permissions, consentAllTenants, List.of());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Fluent builder with defaults fit for a unit test: ephemeral port, one small tenant. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int tenants = 1;
    private int users = 50;
    private int groups = 10;
    private long seed = 42;
    private Path stateDir = Path.of("target", "simulator-state");
    private boolean keepState = false;
    private String trustStorePassword = "changeit";
    private double throttleScale = 1.0;
    private boolean throttleEnabled = true;
    private String consentMode = "page";
    private final List<AppRegistration> apps = new ArrayList<>();

    public Builder host(String v) { host = v; return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder tenants(int v) { tenants = v; return this; }
    public Builder users(int v) { users = v; return this; }
    public Builder groups(int v) { groups = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder stateDir(Path v) { stateDir = v; return this; }
    /**
     * Keeps app registrations, consents, the clock and every change of the directory in the state directory, and
     * restores them at the next start with the same seed and sizes (see {@code state.KeptState}). Off by default: a
     * test starts from the generated directory every time.
     */
    public Builder keepState(boolean v) { keepState = v; return this; }
    public Builder trustStorePassword(String v) { trustStorePassword = v; return this; }
    /** Multiplies every throttling budget (0.001 makes a handful of requests enough to get a 429). */
    public Builder throttleScale(double v) { throttleScale = v; return this; }
    public Builder throttleEnabled(boolean v) { throttleEnabled = v; return this; }
    /** "page" (show the consent page), "consent" (auto-consent) or "refuse" (auto-refuse). */
    public Builder consentMode(String v) { consentMode = v; return this; }
    public Builder app(AppRegistration app) { apps.add(app); return this; }

    public SimulatorConfig build() {
      return new SimulatorConfig(host, port, tenants, users, groups, seed, stateDir, keepState, trustStorePassword,
          throttleScale, throttleEnabled, consentMode, List.copyOf(apps));
    }
  }
}
