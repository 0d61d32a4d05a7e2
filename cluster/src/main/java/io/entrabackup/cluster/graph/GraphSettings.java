package io.entrabackup.cluster.graph;

import com.typesafe.config.Config;
import io.entrabackup.cluster.graph.http.GraphHttpSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code entra-backup.graph} section: where the identity platform and Graph are, the app registration we act as,
 * the certificates we trust, and what every Graph request of the node shares ({@link GraphHttpSettings}). The same code runs against Microsoft, the simulator or another Graph-compatible cloud.
 */
public record GraphSettings(
    String loginBaseUrl,
    String graphBaseUrl,
    String clientId,
    Secret clientSecret,
    String redirectUri,
    Optional<Path> trustStore,
    Secret trustStorePassword,
    Duration tokenRefreshMargin,
    Duration requestTimeout,
    String scope,
    GraphHttpSettings http) {

  public static final String CONFIG_PATH = "entra-backup.graph";

  public GraphSettings {
    loginBaseUrl = stripTrailingSlash(loginBaseUrl);
    graphBaseUrl = stripTrailingSlash(graphBaseUrl);
    requireHttps("login-base-url", loginBaseUrl);
    requireHttps("graph-base-url", graphBaseUrl);
    if (tokenRefreshMargin.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("entra-backup.graph: token-refresh-margin must be >= 0 and request-timeout > 0");
    }
  }

  /** Reads {@code entra-backup.graph} from the root config (the actor system's). */
  public static GraphSettings create(Config root) {
    Config c = root.getConfig(CONFIG_PATH);
    String trustStore = c.getString("trust-store");
    return new GraphSettings(
        c.getString("login-base-url"),
        c.getString("graph-base-url"),
        c.getString("client-id"),
        clientSecret(c.getString("client-secret"), c.getString("client-secret-file")),
        c.getString("redirect-uri"),
        trustStore.isBlank() ? Optional.empty() : Optional.of(Path.of(trustStore)),
        Secret.of(c.getString("trust-store-password")),
        c.getDuration("token-refresh-margin"),
        c.getDuration("request-timeout"),
        c.getString("scope"),
        GraphHttpSettings.create(c));
  }

  /** Whether an app registration is configured at all (client id and secret); without one nothing reaches Microsoft. */
  public boolean isConfigured() {
    return !clientId.isBlank() && !clientSecret.isEmpty();
  }

  /** The Graph host, the only one our bearer tokens are ever sent to. */
  public URI graphUri() {
    return URI.create(graphBaseUrl);
  }

  private static Secret clientSecret(String inline, String file) {
    if (!inline.isEmpty() && !file.isBlank()) {
      throw new IllegalArgumentException("entra-backup.graph: set client-secret or client-secret-file, not both");
    }
    if (file.isBlank()) {
      return Secret.of(inline);
    }
    try {
      // A mounted secret file usually ends with a newline that is not part of the secret.
      return Secret.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("entra-backup.graph.client-secret-file cannot be read: " + file, e);
    }
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void requireHttps(String key, String url) {
    // MSAL4J refuses a non-https authority, and a bearer token must never travel in clear text.
    if (!url.startsWith("https://")) {
      throw new IllegalArgumentException("entra-backup.graph." + key + " must be an https URL, got " + url);
    }
  }
}
