package io.entrabackup.cluster.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.AuthorizationHandler;
import com.microsoft.kiota.http.middleware.RetryHandler;
import io.entrabackup.cluster.graph.http.GraphAnswer;
import io.entrabackup.cluster.graph.http.GraphExchange;
import io.entrabackup.cluster.graph.http.GraphHttp;
import io.entrabackup.cluster.graph.http.GraphTrafficCounter;
import io.entrabackup.cluster.graph.internal.GraphTokenProvider;
import io.entrabackup.cluster.graph.internal.MsalApplications;
import io.entrabackup.cluster.graph.internal.TenantTokens;
import io.entrabackup.cluster.graph.internal.TrustMaterial;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * entra-backup's one way to Microsoft for one app registration: admin-consent URLs, client-credentials tokens per
 * tenant (MSAL4J, cached here), and the node's one Graph HTTP layer ({@link #http}, over an OkHttp client per tenant).
 * Nothing here blocks the caller: every blocking call (token endpoint, Graph) runs on the {@code blockingExecutor}
 * given at construction.
 */
public final class GraphAccess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GraphAccess.class);
  /** A tenant id (GUID) or a domain name: what may stand in a login URL path. */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
  private static final String MULTI_TENANT = MsalApplications.MULTI_TENANT;

  private final GraphSettings settings;
  private final Executor blockingExecutor;
  private final ConfidentialClientApplication msal;
  private final TenantTokens tokens;
  private final Optional<TrustMaterial> trust;
  private final ConnectionPool connectionPool = new ConnectionPool();
  private final Dispatcher dispatcher = new Dispatcher();
  private final ConcurrentHashMap<String, OkHttpClient> httpClients = new ConcurrentHashMap<>();
  private final GraphHttp http;
  private volatile boolean closed;

  public GraphAccess(GraphSettings settings, Executor blockingExecutor) {
    this(settings, blockingExecutor, Clock.systemUTC());
  }

  GraphAccess(GraphSettings settings, Executor blockingExecutor, Clock clock) {
    if (!settings.isConfigured()) {
      throw new IllegalArgumentException("entra-backup.graph.client-id and client-secret (or client-secret-file) must be "
          + "set to reach Microsoft");
    }
    this.settings = settings;
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.trust = settings.trustStore().map(path -> TrustMaterial.load(path, settings.trustStorePassword()));
    this.msal = MsalApplications.confidential(settings, trust);
    this.tokens = new TenantTokens(this::fetchToken, settings.tokenRefreshMargin(), clock);
    this.http = new GraphHttp(this::httpClient, this::tokenRejected, settings.http(), blockingExecutor, clock);
    log.info("Graph access ready for app {}: login {}, Graph {}, trust store {}", settings.clientId(),
        settings.loginBaseUrl(), settings.graphBaseUrl(),
        settings.trustStore().map(Object::toString).orElse("(JVM default)"));
  }


  /**
   * Where to send a tenant admin to grant admin consent:
   * {@code {login}/{tenant|organizations}/v2.0/adminconsent?client_id=&scope=&redirect_uri=&state=}.
   */
  public String adminConsentUrl(Optional<String> tenantHint, String state) {
    String tenant = tenantHint.filter(h -> !h.isBlank()).map(GraphAccess::requireTenant).orElse(MULTI_TENANT);
    return settings.loginBaseUrl() + "/" + tenant + "/v2.0/adminconsent"
        + "?client_id=" + encode(settings.clientId())
        + "&scope=" + encode(settings.scope())
        + "&redirect_uri=" + encode(settings.redirectUri())
        + "&state=" + encode(Objects.requireNonNull(state, "state"));
  }

  /**
   * Reads the tenant's organization object (also proves that consent and token work), through {@link #http} under the
   * {@code consent-check} budget, as raw JSON.
   */
  public CompletionStage<Organization> readOrganization(String entraTenantId) {
    try {
      requireTenant(entraTenantId);
      requireOpen();
      String url = settings.graphBaseUrl() + "/organization?$select=id,displayName,verifiedDomains";
      GraphExchange exchange = GraphExchange.of(entraTenantId, "GET", url, Optional.empty(),
          "reading the organization", settings.http().consentCheck(), new GraphTrafficCounter());
      return http.send(exchange).thenApply(answer -> organization(entraTenantId, answer));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(GraphFailures.classify(entraTenantId, e));
    }
  }

  /**
   * A client-credentials access token for the tenant: cached in memory, refreshed {@code token-refresh-margin} before
   * it expires, never persisted or logged. Fails with {@link AuthorizationLostException} when the tenant does not
   * (or no longer) consent, {@link AppCredentialRejectedException} when the app's secret is wrong.
   */
  public CompletionStage<String> accessToken(String entraTenantId) {
    try {
      requireTenant(entraTenantId);
      requireOpen();
      TenantTokens.Fetch fetch = tokens.current(entraTenantId);
      if (!fetch.isClaimed()) {
        blockingExecutor.execute(fetch::runIfUnclaimed);
      }
      return fetch.result().thenApply(TenantTokens.Token::value);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(GraphFailures.classify(entraTenantId, e));
    }
  }

  /** The node's one Graph HTTP layer: every Graph request of every tenant goes through it. */
  public GraphHttp http() {
    return http;
  }

  /**
   * The tenant's OkHttp client: built by {@code GraphClientFactory} with our token provider and the SDK's middleware
   * except its retry handler (retries are {@link GraphHttp}'s alone), counting requests on the wire. Send through
   * {@link #http}, which adds retries, pacing and tracing; its calls block.
   */
  public OkHttpClient httpClient(String entraTenantId) {
    requireTenant(entraTenantId);
    requireOpen();
    return httpClients.computeIfAbsent(entraTenantId, this::newHttpClient);
  }

  /** Forgets the tenant's cached token after Graph refused it, so the next call fetches (or fails to fetch) a new one. */
  public void tokenRejected(String entraTenantId) {
    tokens.invalidate(entraTenantId);
  }

  /** The settings this instance runs with. */
  public GraphSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    closed = true;
    httpClients.clear();
    tokens.clear();
    dispatcher.executorService().shutdown();
    connectionPool.evictAll();
    log.info("Graph access for app {} closed", settings.clientId());
  }

  private BaseBearerTokenAuthenticationProvider authProvider(String entraTenantId) {
    GraphTokenProvider provider = new GraphTokenProvider(entraTenantId, settings.graphUri(), tokens,
        failure -> GraphFailures.classify(entraTenantId, failure));
    return new BaseBearerTokenAuthenticationProvider(provider);
  }

  private OkHttpClient newHttpClient(String entraTenantId) {
    // The SDK's middleware (authorization, redirect, parameter names, user agent, telemetry) without its retry
    // handler: inside GraphHttp's retries it multiplied the attempts (3 x ours) and sent inside our tenant's turn.
    List<Interceptor> middleware = new ArrayList<>(Arrays.asList(
        GraphClientFactory.createDefaultGraphInterceptors(new GraphClientOption())));
    middleware.removeIf(interceptor -> interceptor instanceof RetryHandler);
    middleware.add(new AuthorizationHandler(authProvider(entraTenantId)));
    // OkHttp's own silent resends are off too: of a failed connection (retryOnConnectionFailure also covers 408s) and,
    // through NO_SILENT_RESEND, of a 503 saying Retry-After: 0. One request of ours is one request on the wire.
    OkHttpClient.Builder builder = GraphClientFactory.create(middleware)
        .retryOnConnectionFailure(false)
        .addNetworkInterceptor(GraphHttp.NO_SILENT_RESEND)
        .addNetworkInterceptor(GraphTrafficCounter.ON_THE_WIRE)
        .connectionPool(connectionPool)
        .dispatcher(dispatcher)
        .connectTimeout(settings.requestTimeout())
        .readTimeout(settings.requestTimeout())
        .writeTimeout(settings.requestTimeout());
    trust.ifPresent(t -> builder.sslSocketFactory(t.socketFactory(), t.trustManager()));
    return builder.build();
  }

  private TenantTokens.Token fetchToken(String entraTenantId) {
    ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(settings.scope()))
        .tenant(entraTenantId)
        // We cache ourselves (see TenantTokens); MSAL's cache would hand back a token inside our refresh margin.
        .skipCache(true)
        .build();
    try {
      IAuthenticationResult result = msal.acquireToken(parameters).join();
      log.debug("Got an access token for tenant {}, valid until {}", entraTenantId, result.expiresOnDate().toInstant());
      return new TenantTokens.Token(result.accessToken(), result.expiresOnDate().toInstant());
    } catch (RuntimeException e) {
      throw GraphFailures.classify(entraTenantId, e);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("GraphAccess for app " + settings.clientId() + " is closed");
    }
  }

  /** The organization from {@code GET /organization}'s JSON; Graph's refusals classified as for every call. */
  private static Organization organization(String entraTenantId, GraphAnswer answer) {
    if (!answer.ok()) {
      String code = answer.errorCode().isEmpty() ? null : answer.errorCode();
      throw GraphFailures.fromGraph(entraTenantId, answer.status(), code, answer.errorMessage() + " ["
          + answer.trace() + "]", null);
    }
    JsonNode org = answer.body().path("value").path(0);
    if (org.isMissingNode()) {
      throw new GraphAccessException(entraTenantId, "Graph returned no organization for tenant " + entraTenantId, null);
    }
    List<JsonNode> domains = StreamSupport.stream(org.path("verifiedDomains").spliterator(), false).toList();
    String defaultDomain = firstName(domains, "isDefault")
        .or(() -> firstName(domains, "isInitial"))
        .orElse(domains.isEmpty() ? null : domains.get(0).path("name").asText(null));
    return new Organization(org.path("id").asText(null), org.path("displayName").asText(null),
        domains.stream().map(d -> d.path("name").asText(null)).filter(Objects::nonNull).toList(), defaultDomain);
  }

  private static Optional<String> firstName(List<JsonNode> domains, String flag) {
    return domains.stream().filter(d -> d.path(flag).asBoolean(false)).map(d -> d.path("name").asText(null))
        .filter(Objects::nonNull).findFirst();
  }

  private static String requireTenant(String tenant) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("Not an Entra tenant id or domain: " + tenant);
    }
    return tenant;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
