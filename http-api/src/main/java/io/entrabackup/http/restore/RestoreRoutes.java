package io.entrabackup.http.restore;

import static io.entrabackup.http.auth.RequireScope.require;

import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.AsyncFailures;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.RequestIds;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Problems;
import io.entrabackup.http.job.StartedJob;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RestoreDetails;
import io.entrabackup.protocol.restore.RestoreRefused;
import io.entrabackup.protocol.restore.RestoreRequest;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST .../objects/{type}/{objectId}/restore-plans} (what a restore would do, nothing written) and
 * {@code POST .../restores} (a restore job), both with {@code {"version": "<versionId>"}}.
 */
public final class RestoreRoutes extends AllDirectives {

  private final RestoreClient restores;
  private final HttpSettings settings;
  private final Clock clock;

  public RestoreRoutes(RestoreClient restores, HttpSettings settings, Clock clock) {
    this.restores = restores;
    this.settings = settings;
    this.clock = clock;
  }

  /** The routes under one object, already parsed from the path. */
  public Route routes(Caller caller, TenantId tenant, ObjectType type, String objectId) {
    return concat(
        path("restore-plans", () -> post(() -> require(caller, Scope.RESTORE, () -> withVersion(version ->
            onComplete(restores.plan(caller, tenant, type, objectId, version), result -> result.isSuccess()
                ? result.get()
                    .<Route>map(plan -> complete(StatusCodes.OK, plan, ApiJson.marshaller()))
                    .orElseGet(() -> complete(notFound()))
                : complete(failure(result.failed().get()))))))),
        path("restores", () -> post(() -> require(caller, Scope.RESTORE, () -> withVersion(version ->
            RequestIds.requestId(requestId -> onComplete(restores.start(caller, tenant, type, objectId, version,
                requestId), result -> result.isSuccess()
                ? started(result.get(), tenant, requested(caller, type, objectId, version))
                : complete(failure(result.failed().get())))))))));
  }

  private Route withVersion(Function<String, Route> inner) {
    return ApiJson.withBody(settings, RestoreRequest.class, request -> {
      if (request.version() == null || request.version().isBlank()) {
        return complete(Problems.badRequest("version is required: a versionId of this object (see .../versions)"));
      }
      return inner.apply(request.version().strip());
    });
  }

  /** What a restore's System Status row says of it before it ran: what, from which version, by which key. */
  private static RestoreDetails requested(Caller caller, ObjectType type, String objectId, String version) {
    return new RestoreDetails(type.apiName(), objectId, version, caller.keyId(), Optional.empty(), Optional.empty(), 0,
        0, Optional.empty());
  }

  /** An accepted restore answers its job view. */
  private Route started(TenantCommands.Reply reply, TenantId tenant, RestoreDetails requested) {
    if (reply instanceof TenantCommands.RestoreAccepted accepted) {
      return complete(StartedJob.restore(accepted.jobId(), tenant, accepted.queued(), requested, clock.instant())
          .accepted());
    }
    if (reply instanceof TenantCommands.RestoreAwaitingApproval awaiting) {
      return complete(StartedJob.restoreAwaitingApproval(awaiting.jobId(), tenant, requested, awaiting.reason(),
          awaiting.requestedAt(), awaiting.expiresAt()).accepted());
    }
    if (reply instanceof TenantCommands.Rejected rejected) {
      return complete(Problems.conflict(rejected.reason()));
    }
    return complete(notFound());
  }

  private static HttpResponse notFound() {
    return Problems.notFound("No such tenant, object or version in this account");
  }

  private static HttpResponse failure(Throwable error) {
    Throwable cause = AsyncFailures.cause(error);
    if (cause instanceof RestoreRefused refused) {
      return Problems.response(Problem.of("restore-refused", "The restore cannot be made", refused.status(),
          refused.getMessage()));
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw new CompletionException(cause);
  }
}
