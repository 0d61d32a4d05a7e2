package io.entrabackup.http;

import io.entrabackup.http.auth.Authenticator;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.api.Problem;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** The whole HTTP surface of a node: health at the root, the REST API under {@code /api/v1}. */
public final class ApiRoutes extends AllDirectives {

  private final Authenticator authenticator;
  private final TenantRoutes tenantRoutes;
  private final HealthRoutes healthRoutes;
  private final ProblemHandling problems = new ProblemHandling();

  public ApiRoutes(Authenticator authenticator, TenantRoutes tenantRoutes, HealthRoutes healthRoutes) {
    this.authenticator = authenticator;
    this.tenantRoutes = tenantRoutes;
    this.healthRoutes = healthRoutes;
  }

  public Route routes() {
    return problems.wrap(concat(
        healthRoutes.routes(),
        pathPrefix("api", () -> pathPrefix("v1", this::authenticated))));
  }

  private Route authenticated() {
    return optionalHeaderValueByName("Authorization", header ->
        onSuccess(authenticator.authenticate(header), account -> account
            .map(tenantRoutes::routes)
            .orElseGet(this::unauthorized)));
  }

  private Route unauthorized() {
    return respondWithHeader(
        WWWAuthenticate.create(HttpChallenge.createOAuth2("entra-backup")),
        () -> complete(Problems.response(Problem.of(
            "unauthorized", "Unauthorized", 401,
            "Send an account API key as 'Authorization: Bearer <key>'"))));
  }
}
