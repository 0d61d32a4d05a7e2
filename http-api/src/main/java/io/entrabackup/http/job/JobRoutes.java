package io.entrabackup.http.job;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Paging;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.account.Caller;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /jobs}: System Status, newest first, one kind at a time (its tabs); one job by id. */
public final class JobRoutes extends AllDirectives {

  private static final List<String> KINDS = List.of("backup", "download", "restore");

  private final JobClient jobs;
  private final HttpSettings settings;

  public JobRoutes(JobClient jobs, HttpSettings settings) {
    this.jobs = jobs;
    this.settings = settings;
  }

  public Route routes(Caller caller) {
    return pathPrefix("jobs", () -> concat(
        pathEndOrSingleSlash(() -> get(() -> list(caller))),
        path(PathMatchers.segment(), id -> get(() -> show(caller, id)))));
  }

  private Route list(Caller caller) {
    return parameterOptional("kind", kindText -> parameterOptional("limit", limitText ->
        parameterOptional("cursor", cursor -> {
          String kind = kindText.orElse("backup");
          if (!KINDS.contains(kind)) {
            return complete(Problems.badRequest("kind must be one of " + String.join(", ", KINDS)));
          }
          Optional<Integer> limit = Paging.limit(limitText, settings);
          if (limit.isEmpty()) {
            return complete(Problems.badRequest("limit must be a whole number from 1 to " + settings.maxPageSize()));
          }
          if (cursor.isPresent() && !isJobId(cursor.get())) {
            return complete(Problems.badRequest("cursor is not one this API gave out"));
          }
          return onSuccess(jobs.list(caller.account(), kind, cursor, limit.get()),
              page -> complete(StatusCodes.OK, page, ApiJson.marshaller()));
        })));
  }

  private Route show(Caller caller, String id) {
    if (!isJobId(id)) {
      return complete(Problems.badRequest("job id must be a UUID"));
    }
    return onSuccess(jobs.get(caller.account(), id), job -> job
        .<Route>map(found -> complete(StatusCodes.OK, found, ApiJson.marshaller()))
        .orElseGet(() -> complete(Problems.notFound("No job " + id + " in this account"))));
  }

  private static boolean isJobId(String text) {
    try {
      return UUID.fromString(text).version() == 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
