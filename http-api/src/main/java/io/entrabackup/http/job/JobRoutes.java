package io.entrabackup.http.job;

import static io.entrabackup.http.auth.RequireScope.require;

import io.entrabackup.protocol.account.Scope;
import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Paging;
import io.entrabackup.http.PathIds;
import io.entrabackup.http.Problems;
import io.entrabackup.http.restore.RestoreClient;
import io.entrabackup.http.restore.SkippedItemsCsv;
import io.entrabackup.http.auth.RequireScope;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.restore.SkippedItemPage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /jobs}: System Status, newest first, one kind at a time (its tabs), filtered by tenant, state and time; one
 * job by id.
 */
public final class JobRoutes extends AllDirectives {

  private final JobClient jobs;
  private final HttpSettings settings;
  private final Optional<RestoreClient> restores;
  private final Optional<ApprovalClient> approvals;

  /** Without {@code restores}, {@code /jobs/{id}/skipped-items} answers 404. */
  public JobRoutes(JobClient jobs, HttpSettings settings, Optional<RestoreClient> restores) {
    this(jobs, settings, restores, Optional.empty());
  }

  /** Without {@code approvals}, {@code /jobs/{id}/approve} and {@code /reject} answer 404. */
  public JobRoutes(JobClient jobs, HttpSettings settings, Optional<RestoreClient> restores,
      Optional<ApprovalClient> approvals) {
    this.jobs = jobs;
    this.settings = settings;
    this.restores = restores;
    this.approvals = approvals;
  }

  public Route routes(Caller caller) {
    return pathPrefix("jobs", () -> concat(
        pathEndOrSingleSlash(() -> get(() -> require(caller, Scope.READ, () -> list(caller)))),
        path(PathMatchers.segment(), id -> get(() -> require(caller, Scope.READ, () -> show(caller, id)))),
        path(PathMatchers.segment().slash("skipped-items"), id ->
            get(() -> require(caller, Scope.READ, () -> skippedItems(caller, id)))),
        path(PathMatchers.segment().slash("approve"), id -> post(() -> decide(caller, id, ApprovalDecision.APPROVED))),
        path(PathMatchers.segment().slash("reject"), id -> post(() -> decide(caller, id, ApprovalDecision.REJECTED)))));
  }

  /**
   * Four-eyes: a second key of the account approves or rejects a job waiting for approval; a restore needs the
   * {@code restore} scope, a download {@code operate}. Another account's job is not found.
   */
  private Route decide(Caller caller, String id, ApprovalDecision decision) {
    if (!PathIds.isJobId(id)) {
      return complete(Problems.badRequest("job id must be a UUID"));
    }
    if (approvals.isEmpty()) {
      return complete(Problems.notFound("No job " + id + " in this account"));
    }
    return onSuccess(jobs.get(caller.account(), id), job -> job
        .<Route>map(found -> RequireScope.require(caller, approvalScope(found), () ->
            onSuccess(approvals.get().decide(caller, found, decision), this::decided)))
        .orElseGet(() -> complete(Problems.notFound("No job " + id + " in this account"))));
  }

  private static Scope approvalScope(JobView job) {
    return job.kind() == JobKind.DOWNLOAD ? Scope.OPERATE : Scope.RESTORE;
  }

  private Route decided(ApprovalOutcome outcome) {
    if (outcome instanceof ApprovalOutcome.Decided decided) {
      JobState state = decided.decision() == ApprovalDecision.REJECTED
          ? JobState.REJECTED
          : decided.queued() ? JobState.QUEUED : JobState.RUNNING;
      return complete(StatusCodes.OK, new ApprovalResult(decided.jobId(), decided.decision(), state),
          ApiJson.marshaller());
    }
    if (outcome instanceof ApprovalOutcome.OwnRequest own) {
      return complete(Problems.response(Problem.of("approval-by-requester", "Forbidden", 403,
          "Job " + own.jobId() + " was asked for with this API key; four eyes need a second key of the account to"
              + " approve or reject it")));
    }
    if (outcome instanceof ApprovalOutcome.RelatedKey related) {
      return complete(Problems.response(Problem.of("approval-by-related-key", "Forbidden", 403,
          related.detail())));
    }
    if (outcome instanceof ApprovalOutcome.NotAwaiting notAwaiting) {
      return complete(Problems.response(Problem.of("not-awaiting-approval", "Conflict", 409,
          notAwaiting.detail())));
    }
    return complete(Problems.notFound("No job " + ((ApprovalOutcome.NotFound) outcome).jobId()
        + " in this account"));
  }

  /** A restore's skipped items, as JSON or (Accept: text/csv, or ?format=csv) as a CSV download. */
  private Route skippedItems(Caller caller, String id) {
    if (!PathIds.isJobId(id)) {
      return complete(Problems.badRequest("job id must be a UUID"));
    }
    if (restores.isEmpty()) {
      return complete(Problems.notFound("No job " + id + " in this account"));
    }
    return parameterOptional("format", format -> optionalHeaderValueByName("Accept", accept -> {
      boolean csv = format.map("csv"::equalsIgnoreCase).orElse(false)
          || accept.map(value -> value.contains("text/csv")).orElse(false);
      return onSuccess(restores.get().skippedItems(caller, id), items -> items
          .<Route>map(found -> csv
              ? complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_CSV_UTF8,
                      SkippedItemsCsv.of(found)))
                  .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Content-Disposition",
                      "attachment; filename=\"skipped-items-" + id + ".csv\"")))
              : complete(StatusCodes.OK, new SkippedItemPage(id, found), ApiJson.marshaller()))
          .orElseGet(() -> complete(Problems.notFound("No restore job " + id + " in this account"))));
    }));
  }

  /** One kind's jobs, newest first, narrowed by tenant, state and time ({@link JobFilterParams}). */
  private Route list(Caller caller) {
    return parameterOptional("kind", kindText -> parameterOptional("limit", limitText ->
        parameterOptional("cursor", cursor -> parameterOptional("tenant", tenant ->
            parameterOptional("state", state -> parameterOptional("from", from -> parameterOptional("to", to -> {
              Optional<JobKind> kind = JobKind.fromApiName(kindText.orElse(JobKind.BACKUP.apiName()));
              if (kind.isEmpty()) {
                return complete(Problems.badRequest("kind must be one of " + JobKind.names()));
              }
              Optional<Integer> limit = Paging.limit(limitText, settings);
              if (limit.isEmpty()) {
                return complete(Paging.badLimit(settings));
              }
              if (cursor.isPresent() && !PathIds.isJobId(cursor.get())) {
                return complete(Problems.badRequest("cursor is not one this API gave out"));
              }
              JobFilter filter;
              try {
                filter = JobFilterParams.parse(tenant, state, from, to);
              } catch (IllegalArgumentException e) {
                return complete(Problems.badRequest(e.getMessage()));
              }
              return onSuccess(jobs.list(caller.account(), kind.get(), filter, cursor, limit.get()),
                  page -> complete(StatusCodes.OK, page, ApiJson.marshaller()));
            })))))));
  }

  private Route show(Caller caller, String id) {
    if (!PathIds.isJobId(id)) {
      return complete(Problems.badRequest("job id must be a UUID"));
    }
    return onSuccess(jobs.get(caller.account(), id), job -> job
        .<Route>map(found -> complete(StatusCodes.OK, found, ApiJson.marshaller()))
        .orElseGet(() -> complete(Problems.notFound("No job " + id + " in this account"))));
  }
}
