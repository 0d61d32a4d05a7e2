package io.entrabackup.cluster.graph.internal;

import io.entrabackup.cluster.graph.GraphAccessException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;

/**
 * The Graph SDK's token source for one tenant. Kiota's bearer provider does not check hosts itself, so this does:
 * a token goes only to the configured Graph scheme, host and port (a nextLink pointing anywhere else gets no token).
 * Called by the SDK on the thread making the request, which is always one of our blocking executor's.
 */
public final class GraphTokenProvider implements AccessTokenProvider {
  private final String tenantId;
  private final URI graph;
  private final TenantTokens tokens;
  private final Function<Throwable, RuntimeException> translate;
  private final AllowedHostsValidator allowedHosts;

  public GraphTokenProvider(String tenantId, URI graph, TenantTokens tokens, Function<Throwable, RuntimeException> translate) {
    this.tenantId = tenantId;
    this.graph = graph;
    this.tokens = tokens;
    this.translate = translate;
    this.allowedHosts = new AllowedHostsValidator(graph.getHost());
  }

  @Override
  public String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
    if (!isGraph(uri)) {
      return ""; // Kiota sends no Authorization header for an empty token
    }
    TenantTokens.Fetch fetch = tokens.current(tenantId);
    fetch.runIfUnclaimed();
    try {
      return fetch.result().join().value();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw cause instanceof GraphAccessException g ? g : translate.apply(cause);
    }
  }

  @Override
  public AllowedHostsValidator getAllowedHostsValidator() {
    return allowedHosts;
  }

  boolean isGraph(URI uri) {
    return uri != null
        && "https".equalsIgnoreCase(uri.getScheme())
        && uri.getHost() != null
        && uri.getHost().toLowerCase(Locale.ROOT).equals(graph.getHost().toLowerCase(Locale.ROOT))
        && port(uri) == port(graph);
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? 443 : uri.getPort();
  }
}
