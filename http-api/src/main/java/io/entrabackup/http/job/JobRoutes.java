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
import io.entrabackup.protocol.account.Caller;
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

/** {@code /jobs}: System Status, newest first, one kind at a time (its tabs); one job by id. */
public final class JobRoutes extends AllDirectives {

  private final JobClient jobs;
  private final HttpSettings settings;
  private final Optional<RestoreClient> restores;

  /** Without {@code restores}, {@code /jobs/{id}/skipped-items} answers 404. */
  public JobRoutes(JobClient jobs, HttpSettings settings, Optional<RestoreClient> restores) {
    this.jobs = jobs;
    this.settings = settings;
    this.restores = restores;
  }

  public Route routes(Caller caller) {
    return pathPrefix("jobs", () -> concat(
        pathEndOrSingleSlash(() -> get(() -> require(caller, Scope.READ, () -> list(caller)))),
        path(PathMatchers.segment(), id -> get(() -> require(caller, Scope.READ, () -> show(caller, id)))),
        path(PathMatchers.segment().slash("skipped-items"), id ->
            get(() -> require(caller, Scope.READ, () -> skippedItems(caller, id))))));
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

  private Route list(Caller caller) {
    return parameterOptional("kind", kindText -> parameterOptional("limit", limitText ->
        parameterOptional("cursor", cursor -> {
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
          return onSuccess(jobs.list(caller.account(), kind.get(), cursor, limit.get()),
              page -> complete(StatusCodes.OK, page, ApiJson.marshaller()));
        })));
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
