package io.entrabackup.cluster.graph;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.OrganizationCollectionResponse;
import com.microsoft.graph.models.VerifiedDomain;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.entrabackup.cluster.graph.internal.GraphTokenProvider;
import io.entrabackup.cluster.graph.internal.InlineExecutorService;
import io.entrabackup.cluster.graph.internal.TenantTokens;
import io.entrabackup.cluster.graph.internal.TrustMaterial;
import java.net.MalformedURLException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * entra-backup's one way to Microsoft for one app registration: admin-consent URLs, client-credentials tokens per
 * tenant (MSAL4J, cached here), and Graph SDK clients per tenant. Nothing here blocks the caller: every blocking call
 * (token endpoint, Graph) runs on the {@code blockingExecutor} given at construction.
 */
public final class GraphAccess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GraphAccess.class);
  /** A tenant id (GUID) or a domain name: what may stand in a login URL path. */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
  private static final String MULTI_TENANT = "organizations";

  private final GraphSettings settings;
  private final Executor blockingExecutor;
  private final ConfidentialClientApplication msal;
  private final TenantTokens tokens;
  private final Optional<TrustMaterial> trust;
  private final ConnectionPool connectionPool = new ConnectionPool();
  private final Dispatcher dispatcher = new Dispatcher();
  private final ConcurrentHashMap<String, GraphServiceClient> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, OkHttpClient> httpClients = new ConcurrentHashMap<>();
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
    this.msal = buildMsal(settings, trust);
    this.tokens = new TenantTokens(this::fetchToken, settings.tokenRefreshMargin(), clock);
    log.info("Graph access ready for app {}: login {}, Graph {}, trust store {}", settings.clientId(),
        settings.loginBaseUrl(), settings.graphBaseUrl(),
        settings.trustStore().map(Object::toString).orElse("(JVM default)"));
  }

  private static ConfidentialClientApplication buildMsal(GraphSettings settings, Optional<TrustMaterial> trust) {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
    try {
      ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
          .builder(settings.clientId(), ClientCredentialFactory.createFromSecret(settings.clientSecret().value()))
          // The tenant is chosen per request (ClientCredentialParameters.tenant): MSAL swaps it into this authority.
          .authority(settings.loginBaseUrl() + "/" + MULTI_TENANT + "/")
          // instanceDiscovery(false) is what stops MSAL calling the public discovery endpoint; both are needed for a
          // login host MSAL does not know (the simulator, a sovereign cloud behind a proxy).
          .instanceDiscovery(false)
          .validateAuthority(false)
          // acquireToken runs on the calling thread: we call it only from blockingExecutor tasks.
          .executorService(new InlineExecutorService())
          .connectTimeoutForDefaultHttpClient(timeoutMillis)
          .readTimeoutForDefaultHttpClient(timeoutMillis);
      trust.ifPresent(t -> builder.sslSocketFactory(t.socketFactory()));
      return builder.build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("entra-backup.graph.login-base-url is not a URL: " + settings.loginBaseUrl(), e);
    }
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

  /** Reads the tenant's organization object through the Graph SDK (also proves that consent and token work). */
  public CompletionStage<Organization> readOrganization(String entraTenantId) {
    return onBlockingExecutor(entraTenantId, () -> organization(entraTenantId, client(entraTenantId).organization().get()));
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

  /**
   * A Graph SDK client for the tenant (one per tenant, shared). Its calls block: make them on the blocking executor,
   * classify their failures with {@link GraphFailures#classify}, and call {@link #tokenRejected} on a 401.
   */
  public GraphServiceClient client(String entraTenantId) {
    requireTenant(entraTenantId);
    requireOpen();
    return clients.computeIfAbsent(entraTenantId, this::newClient);
  }

  /**
   * The tenant's OkHttp client: the one under {@link #client}, built by {@code GraphClientFactory} with our token
   * provider, so it carries the SDK's middleware (authorization, retry honouring Retry-After, redirect, compression).
   * For reading Graph's raw JSON (lossless backups). Its calls block: make them on the blocking executor.
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
    clients.clear();
    httpClients.clear();
    tokens.clear();
    dispatcher.executorService().shutdown();
    connectionPool.evictAll();
    log.info("Graph access for app {} closed", settings.clientId());
  }

  private GraphServiceClient newClient(String entraTenantId) {
    GraphServiceClient client = new GraphServiceClient(authProvider(entraTenantId), httpClient(entraTenantId));
    client.getRequestAdapter().setBaseUrl(settings.graphBaseUrl());
    return client;
  }

  private BaseBearerTokenAuthenticationProvider authProvider(String entraTenantId) {
    GraphTokenProvider provider = new GraphTokenProvider(entraTenantId, settings.graphUri(), tokens,
        failure -> GraphFailures.classify(entraTenantId, failure));
    return new BaseBearerTokenAuthenticationProvider(provider);
  }

  private OkHttpClient newHttpClient(String entraTenantId) {
    // GraphClientFactory adds the SDK's middleware (retry honouring Retry-After, redirect, compression, telemetry).
    // No call timeout: it would also cut the retry handler's Retry-After waits short.
    OkHttpClient.Builder http = GraphClientFactory.create(authProvider(entraTenantId))
        .connectionPool(connectionPool)
        .dispatcher(dispatcher)
        .connectTimeout(settings.requestTimeout())
        .readTimeout(settings.requestTimeout())
        .writeTimeout(settings.requestTimeout());
    trust.ifPresent(t -> http.sslSocketFactory(t.socketFactory(), t.trustManager()));
    return http.build();
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

  private <T> CompletionStage<T> onBlockingExecutor(String entraTenantId, java.util.function.Supplier<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      requireTenant(entraTenantId);
      blockingExecutor.execute(() -> {
        try {
          result.complete(call.get());
        } catch (RuntimeException e) {
          GraphAccessException failure = GraphFailures.classify(entraTenantId, e);
          if (failure instanceof AuthorizationLostException && isGraph401(e)) {
            tokens.invalidate(entraTenantId);
          }
          result.completeExceptionally(failure);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new GraphAccessException(entraTenantId, "The blocking executor refused the call", e));
    } catch (RuntimeException e) {
      result.completeExceptionally(GraphFailures.classify(entraTenantId, e));
    }
    return result;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("GraphAccess for app " + settings.clientId() + " is closed");
    }
  }

  private static boolean isGraph401(Throwable t) {
    return t instanceof com.microsoft.kiota.ApiException e && e.getResponseStatusCode() == 401;
  }

  private static Organization organization(String entraTenantId, OrganizationCollectionResponse response) {
    var orgs = response == null || response.getValue() == null ? List.<com.microsoft.graph.models.Organization>of()
        : response.getValue();
    if (orgs.isEmpty()) {
      throw new GraphAccessException(entraTenantId, "Graph returned no organization for tenant " + entraTenantId, null);
    }
    var org = orgs.get(0);
    List<VerifiedDomain> domains = org.getVerifiedDomains() == null ? List.of() : org.getVerifiedDomains();
    String defaultDomain = domains.stream().filter(d -> Boolean.TRUE.equals(d.getIsDefault())).map(VerifiedDomain::getName)
        .findFirst()
        .orElse(domains.stream().filter(d -> Boolean.TRUE.equals(d.getIsInitial())).map(VerifiedDomain::getName)
            .findFirst().orElse(domains.isEmpty() ? null : domains.get(0).getName()));
    return new Organization(org.getId(), org.getDisplayName(), domains.stream().map(VerifiedDomain::getName).toList(),
        defaultDomain);
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
