package io.entrabackup.http;

import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.account.AccountSettingsRoutes;
import io.entrabackup.http.audit.Auditing;
import io.entrabackup.http.auth.Authenticator;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.download.DownloadRoutes;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.limits.RequestRateLimit;
import io.entrabackup.http.portal.PortalRoutes;
import io.entrabackup.http.retention.RetentionRoutes;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.Problem;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import java.util.Optional;

/**
 * The whole HTTP surface of a node: health, the consent callback and the operator portal at the root,
 * the REST API under {@code /api/v1} behind API-key authentication.
 */
public final class ApiRoutes extends AllDirectives {

  private final Authenticator authenticator;
  private final TenantRoutes tenantRoutes;
  private final AccountRoutes accountRoutes;
  private final JobRoutes jobRoutes;
  private final ConsentRoutes consentRoutes;
  private final HealthRoutes healthRoutes;
  private final Optional<DownloadRoutes> downloadRoutes;
  private final Optional<AccountSettingsRoutes> settingsRoutes;
  private final ProblemHandling problems = new ProblemHandling();
  private final RequestIds requestIds = new RequestIds();
  private final PortalRoutes portal = new PortalRoutes();
  private final RequestRateLimit rateLimit;
  private final Auditing auditing;
  private Optional<RetentionRoutes> retentionRoutes = Optional.empty();

  /** Without {@code downloadRoutes} the API serves no downloads; no request limits and no audit trail (route tests). */
  public ApiRoutes(
      Authenticator authenticator,
      TenantRoutes tenantRoutes,
      AccountRoutes accountRoutes,
      JobRoutes jobRoutes,
      ConsentRoutes consentRoutes,
      HealthRoutes healthRoutes,
      Optional<DownloadRoutes> downloadRoutes) {
    this(authenticator, tenantRoutes, accountRoutes, jobRoutes, consentRoutes, healthRoutes, downloadRoutes,
        Optional.empty(), RequestRateLimit.unlimited(), Auditing.off());
  }

  /**
   * With {@code settingsRoutes}, accounts' own settings ({@code /accounts/{id}/settings}); {@code rateLimit} on every
   * API request (http-api/LIMITS.md); recording security-relevant requests in the audit trail and serving
   * {@code /audit}.
   */
  public ApiRoutes(
      Authenticator authenticator,
      TenantRoutes tenantRoutes,
      AccountRoutes accountRoutes,
      JobRoutes jobRoutes,
      ConsentRoutes consentRoutes,
      HealthRoutes healthRoutes,
      Optional<DownloadRoutes> downloadRoutes,
      Optional<AccountSettingsRoutes> settingsRoutes,
      RequestRateLimit rateLimit,
      Auditing auditing) {
    this.settingsRoutes = settingsRoutes;
    this.auditing = auditing;
    this.authenticator = authenticator;
    this.tenantRoutes = tenantRoutes;
    this.accountRoutes = accountRoutes;
    this.jobRoutes = jobRoutes;
    this.consentRoutes = consentRoutes;
    this.healthRoutes = healthRoutes;
    this.downloadRoutes = downloadRoutes;
    this.rateLimit = rateLimit;
  }

  /** With retention's settings and passes ({@code /accounts/{id}/retention}, {@code /tenants/{id}/retention}). */
  public ApiRoutes withRetention(RetentionRoutes routes) {
    this.retentionRoutes = Optional.of(routes);
    return this;
  }

  public Route routes() {
    return requestIds.wrap(() -> problems.wrap(concat(
        healthRoutes.routes(),
        auditing.consentCallback(() -> consentRoutes.routes(rateLimit)),
        portal.routes(),
        pathPrefix("api", () -> pathPrefix("v1", () -> concat(
            new io.entrabackup.http.openapi.OpenApiRoutes().routes(), // no key: a client needs it before it has one
            // A signed download link is its own credential (a browser follows it without our API key).
            auditing.downloadContent(this::downloadContent),
            authenticated()))))));
  }

  private Route authenticated() {
    return rateLimit.beforeAuthentication(address -> optionalHeaderValueByName("Authorization", header ->
        onSuccess(authenticator.authenticate(header), caller -> caller
            // A request refused by its key's rate is not audited: a flood must not flood the trail too.
            .map(known -> rateLimit.perKey(known,
                () -> auditing.authenticated(known, problems.exceptionHandler(), () -> api(known))))
            .orElseGet(() -> rateLimit.afterFailedAuthentication(address,
                () -> auditing.unauthenticated(this::unauthorized))))));
  }

  /**
   * Signed links, limited per source address like every route without a key. A link may come with an API key (the
   * link's route then refuses another account's key); that key is looked up as on every /api/v1 route, behind the
   * failed-authentication limiter and into its audit, so the link route is no unlimited way to test keys.
   */
  private Route downloadContent() {
    Route content = downloadRoutes.map(DownloadRoutes::contentRoutes).orElseGet(this::reject);
    return pathPrefixTest(PathMatchers.segment("downloads").slash(PathMatchers.segment()).slash("content"), job ->
        rateLimit.perAddress(() -> optionalHeaderValueByName("Authorization", header -> header.isEmpty()
            ? content
            : rateLimit.beforeAuthentication(address -> onSuccess(authenticator.authenticate(header), caller ->
                caller.isPresent()
                    ? content
                    : rateLimit.afterFailedAuthentication(address,
                        () -> auditing.unauthenticated(this::unauthorized)))))));
  }

  private Route api(Caller caller) {
    return concat(new io.entrabackup.http.auth.SessionRoutes().routes(caller), tenantRoutes.routes(caller),
        // Before the account routes, which answer 404 for any account path of an account the key may not manage.
        settingsRoutes.map(routes -> routes.routes(caller)).orElseGet(this::reject),
        retentionRoutes.map(routes -> routes.routes(caller)).orElseGet(this::reject),
        accountRoutes.routes(caller), jobRoutes.routes(caller),
        auditing.routes(caller),
        downloadRoutes.map(routes -> routes.routes(caller)).orElseGet(this::reject));
  }

  private Route unauthorized() {
    return respondWithHeader(
        WWWAuthenticate.create(HttpChallenge.createOAuth2("entra-backup")),
        () -> complete(Problems.response(Problem.of(
            "unauthorized", "Unauthorized", 401,
            "Send a valid account API key as 'Authorization: Bearer <key>'"))));
  }
}
