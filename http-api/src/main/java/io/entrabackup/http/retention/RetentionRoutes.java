package io.entrabackup.http.retention;

import static io.entrabackup.http.auth.RequireScope.require;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.PathIds;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.retention.RetentionSetting;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Retention (cluster/RETENTION.md), for a key of the account with the {@code admin} scope:
 * {@code GET/PUT /accounts/{id}/retention}, {@code GET/PUT /tenants/{id}/retention} (a tenant's own period, or
 * {@code inherit}), and {@code POST /tenants/{id}/retention/runs}, a pass now (its job on System Status). Another
 * account and its tenants do not exist for the caller (404).
 */
public final class RetentionRoutes extends AllDirectives {

  private final RetentionClient retention;
  private final HttpSettings settings;

  public RetentionRoutes(RetentionClient retention, HttpSettings settings) {
    this.retention = retention;
    this.settings = settings;
  }

  public Route routes(Caller caller) {
    return concat(
        pathPrefix("accounts", () -> path(PathMatchers.segment().slash("retention"), idText ->
            ownAccount(caller, idText).map(account -> require(caller, Scope.ADMIN, () -> concat(
                    get(() -> onSuccess(retention.ofAccount(account), view -> ok(view))),
                    put(() -> withSetting(false, setting -> onSuccess(
                        retention.setAccount(account, setting, caller.keyId()), view -> ok(view)))))))
                .orElseGet(() -> complete(Problems.notFound("No such account"))))),
        pathPrefix("tenants", () -> pathPrefix(PathMatchers.segment(), idText -> pathPrefix("retention", () ->
            PathIds.withTenantId(idText, tenant -> require(caller, Scope.ADMIN, () -> concat(
                pathEndOrSingleSlash(() -> concat(
                    get(() -> onSuccess(retention.ofTenant(caller.account(), tenant), view -> found(view, tenant))),
                    put(() -> withSetting(true, setting -> onSuccess(
                        retention.setTenant(caller.account(), tenant, setting, caller.keyId()),
                        view -> found(view, tenant)))))),
                path("runs", () -> post(() -> onSuccess(retention.runNow(caller.account(), tenant),
                    answer -> ran(answer, tenant)))))))))));
  }

  private Route ok(Object view) {
    return complete(StatusCodes.OK, view, ApiJson.marshaller());
  }

  private Route found(Optional<?> view, TenantId tenant) {
    return view.<Route>map(this::ok).orElseGet(() -> complete(Problems.notFound("No tenant " + tenant.value())));
  }

  private Route withSetting(boolean tenant, java.util.function.Function<RetentionSetting, Route> inner) {
    return ApiJson.withBody(settings, RetentionSetting.class, requested -> {
      Optional<String> problem = requested.problem();
      if (problem.isEmpty() && !tenant && requested.inherits()) {
        problem = Optional.of("an account has nothing to inherit from: give keepDays");
      }
      return problem.<Route>map(detail -> complete(Problems.badRequest(detail))).orElseGet(() -> inner.apply(requested));
    });
  }

  private Route ran(RetentionClient.RunAnswer answer, TenantId tenant) {
    if (answer instanceof RetentionClient.Started started) {
      // Where the pass is followed, as every request that starts a job says (its body stays what it always was).
      return respondWithHeader(Location.create("/api/v1/jobs/" + started.run().jobId()),
          () -> complete(StatusCodes.ACCEPTED, started.run(), ApiJson.marshaller()));
    }
    if (answer instanceof RetentionClient.Unlimited) {
      return complete(Problems.response(Problem.of("retention-unlimited", "Retention is unlimited", 409,
          "Tenant " + tenant.value() + " keeps its versions without limit: set a retention first")));
    }
    return complete(Problems.notFound("No tenant " + tenant.value()));
  }

  private static Optional<AccountId> ownAccount(Caller caller, String text) {
    try {
      return Optional.of(new AccountId(text)).filter(caller.account()::equals);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
