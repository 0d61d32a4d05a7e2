package io.entrabackup.http.tenant;

import static io.entrabackup.http.auth.RequireScope.require;

import io.entrabackup.protocol.account.Scope;
import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.PathIds;
import io.entrabackup.http.RequestIds;
import io.entrabackup.http.Problems;
import io.entrabackup.http.job.StartedJob;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.ActivationRequest;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.api.TenantSort;
import io.entrabackup.protocol.api.TenantStatusFilter;
import io.entrabackup.protocol.api.RegisterTenantRequest;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantRegistration;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /tenants}: register, list and show tenants; Activate Backup; check authorization. */
public final class TenantRoutes extends AllDirectives {

  private final TenantClient tenants;
  private final ObjectRoutes objectRoutes;
  private final HttpSettings settings;
  private final Clock clock;

  public TenantRoutes(TenantClient tenants, ObjectRoutes objectRoutes, HttpSettings settings, Clock clock) {
    this.tenants = tenants;
    this.objectRoutes = objectRoutes;
    this.settings = settings;
    this.clock = clock;
  }

  public Route routes(Caller caller) {
    AccountId account = caller.account();
    return pathPrefix("tenants", () -> concat(
        pathEndOrSingleSlash(() -> concat(
            post(() -> require(caller, Scope.ADMIN, () -> register(account))),
            get(() -> require(caller, Scope.READ, () -> list(account))))),
        pathPrefix(PathMatchers.segment(), idText -> PathIds.withTenantId(idText, id -> concat(
            pathEndOrSingleSlash(() -> concat(
                get(() -> require(caller, Scope.READ, () -> show(account, id))),
                // Offboarding destroys data for good once the grace period ends: the admin scope, as registration.
                delete(() -> require(caller, Scope.ADMIN, () -> scheduleDeletion(caller, id))))),
            path(PathMatchers.segment("deletion").slash("cancel"), () -> post(() ->
                require(caller, Scope.ADMIN, () -> cancelDeletion(caller, id)))),
            path("activation", () -> post(() -> require(caller, Scope.OPERATE, () -> activate(account, id)))),
            path("authorization-check", () -> post(() ->
                require(caller, Scope.OPERATE, () -> checkAuthorization(account, id)))),
            path("backups", () -> post(() -> require(caller, Scope.OPERATE, () -> startBackup(account, id)))),
            objectRoutes.routes(caller, id))))));
  }

  private Route register(AccountId account) {
    return ApiJson.withBody(settings, RegisterTenantRequest.class, request -> {
      Optional<String> entraTenant = Optional.ofNullable(request.entraTenant()).filter(s -> !s.isBlank());
      Optional<String> problem =
          TenantRegistration.displayNameProblem(request.displayName())
              .or(() -> TenantRegistration.entraTenantProblem(entraTenant));
      if (problem.isPresent()) {
        return complete(Problems.badRequest(problem.get()));
      }
      TenantId id = TenantId.random();
      return onSuccess(tenants.register(id, account, request.displayName(), entraTenant), this::registered);
    });
  }

  private Route registered(TenantCommands.Reply reply) {
    if (reply instanceof Current current) {
      return respondWithHeader(
          Location.create("/api/v1/tenants/" + current.tenant().id()),
          () -> complete(StatusCodes.CREATED, current.tenant(), ApiJson.marshaller()));
    }
    return answer(reply);
  }

  /**
   * The account's tenants: {@code search} (case-insensitive substring of name, domain or id), {@code status}
   * ({@link TenantStatusFilter}), {@code sort} ({@link TenantSort}, by id when absent) and {@code order} ({@code asc}
   * or {@code desc}), paged by {@code limit} and {@code cursor}, with the account's summary. {@code after} is
   * {@code cursor}'s former name (deprecated, one more release).
   */
  private Route list(AccountId account) {
    return parameterOptional("limit", limitText -> parameterOptional("cursor", cursorText ->
        parameterOptional("after", afterText -> parameterOptional("search", search ->
            parameterOptional("status", statusText -> parameterOptional("sort", sortText ->
                parameterOptional("order", orderText -> {
                  ListParameters asked = new ListParameters(limitText, cursorText, afterText, search, statusText,
                      sortText, orderText);
                  return asked.problem(settings).map(this::complete).orElseGet(() -> listed(account, asked.query(
                      settings)));
                })))))));
  }

  private Route listed(AccountId account, TenantQuery query) {
    return onSuccess(tenants.list(account, query), page -> complete(StatusCodes.OK, page, ApiJson.marshaller()));
  }

  private Route show(AccountId account, TenantId id) {
    return onSuccess(tenants.get(id, account), this::answer);
  }

  private Route activate(AccountId account, TenantId id) {
    return ApiJson.withBody(settings, ActivationRequest.class, request -> {
      if (request.immediateBackup() == null) {
        return complete(Problems.badRequest("immediateBackup is required: true to back up right after consent,"
            + " false to wait for the schedule"));
      }
      Duration frequency;
      try {
        frequency = BackupFrequency.parse(request.frequency() == null ? "P1D" : request.frequency());
      } catch (IllegalArgumentException e) {
        return complete(Problems.badRequest(e.getMessage()));
      }
      return onSuccess(tenants.activate(id, account, request.immediateBackup(), frequency), this::activation);
    });
  }

  private Route activation(ActivationReply reply) {
    if (reply instanceof ActivationReply.ConsentLink link) {
      return complete(StatusCodes.OK, link.activation(), ApiJson.marshaller());
    }
    return answer((TenantCommands.Reply) reply);
  }

  private Route startBackup(AccountId account, TenantId id) {
    return RequestIds.requestId(requestId -> onSuccess(tenants.startBackup(id, account, requestId), reply -> {
      if (reply instanceof TenantCommands.BackupAccepted accepted) {
        return complete(StartedJob.backup(accepted.jobId(), id, clock.instant()).accepted());
      }
      if (reply instanceof TenantCommands.BackupAlreadyRunning running) {
        return complete(Problems.response(Problem.of("backup-running", "A backup is running", 409,
            "Backup " + running.jobId() + " of this tenant is running; follow it at /api/v1/jobs/" + running.jobId())));
      }
      return answer(reply);
    }));
  }

  /**
   * Delete: 202, the tenant with its {@code deletionScheduledFor}; its data is deleted then unless the deletion is
   * cancelled before (cluster/OFFBOARDING.md). Deleting again answers the same deadline.
   */
  private Route scheduleDeletion(Caller caller, TenantId id) {
    return onSuccess(tenants.scheduleDeletion(id, caller.account(), caller.keyId()), reply ->
        reply instanceof Current current
            ? complete(StatusCodes.ACCEPTED, current.tenant(), ApiJson.marshaller())
            : answer(reply));
  }

  /** Undo within the grace period: 200, the tenant kept, its schedule resumed. */
  private Route cancelDeletion(Caller caller, TenantId id) {
    return onSuccess(tenants.cancelDeletion(id, caller.account(), caller.keyId()), this::answer);
  }

  private Route checkAuthorization(AccountId account, TenantId id) {
    return onSuccess(tenants.checkAuthorization(id, account), this::answer);
  }

  /** A tenant entity's reply as HTTP: the tenant, a conflict with the reason, or not found. */
  private Route answer(TenantCommands.Reply reply) {
    if (reply instanceof Current current) {
      return complete(StatusCodes.OK, current.tenant(), ApiJson.marshaller());
    }
    if (reply instanceof Rejected rejected) {
      return complete(Problems.conflict(rejected.reason()));
    }
    return complete(Problems.notFound("No such tenant in this account"));
  }
}
