package io.entrabackup.http.audit;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.CursorRefused;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Paging;
import io.entrabackup.http.Problems;
import io.entrabackup.http.TimeRange;
import io.entrabackup.http.auth.RequireScope;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.ItemPage;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditEntry;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /audit}: the caller's account's trail, newest first, filtered by time ({@code from}, {@code to}: ISO-8601
 * instants or dates, both inclusive), {@code action} and {@code tenant}, paged like every list. An install
 * administrator reads the install's own trail (failed sign-in bursts, refused consent callbacks) with
 * {@code trail=install}. {@code GET /audit/verification} checks the account's hash chain.
 */
final class AuditRoutes extends AllDirectives {

  private final AuditClient audit;
  private final HttpSettings http;

  AuditRoutes(AuditClient audit, HttpSettings http) {
    this.audit = audit;
    this.http = http;
  }

  Route routes(Caller caller) {
    return pathPrefix("audit", () -> concat(
        pathEndOrSingleSlash(() -> get(() -> RequireScope.require(caller, Scope.READ, () ->
            withTrail(caller, trail -> list(trail))))),
        path("verification", () -> get(() -> RequireScope.require(caller, Scope.ADMIN, () ->
            withTrail(caller, trail -> onSuccess(audit.verify(trail),
                check -> complete(StatusCodes.OK, check, ApiJson.marshaller()))))))));
  }

  private Route withTrail(Caller caller, Function<String, Route> inner) {
    return parameterOptional("trail", trail -> {
      if (trail.isEmpty()) {
        return inner.apply(caller.account().value());
      }
      if (!trail.get().equals("install")) {
        return complete(Problems.badRequest("trail must be 'install' (the install's own trail) or absent"));
      }
      return caller.installAdmin()
          ? inner.apply(AuditEntry.INSTALL_TRAIL)
          : complete(Problems.response(Problem.of("forbidden", "Forbidden", 403,
              "Only an install administrator's key may read the install's trail")));
    });
  }

  private Route list(String trail) {
    return parameterOptional("from", fromText -> parameterOptional("to", toText ->
        parameterOptional("action", actionText -> parameterOptional("tenant", tenantText ->
            parameterOptional("limit", limitText -> parameterOptional("cursor", cursorText -> {
              Optional<Integer> limit = Paging.limit(limitText, http);
              if (limit.isEmpty()) {
                return complete(Paging.badLimit(http));
              }
              TimeRange range;
              try {
                range = TimeRange.parse(fromText, toText);
              } catch (IllegalArgumentException e) {
                return complete(Problems.badRequest(e.getMessage()));
              }
              Optional<AuditAction> action = actionText.flatMap(AuditAction::fromApiName);
              if (actionText.isPresent() && action.isEmpty()) {
                return complete(Problems.badRequest("action must be one of " + AuditAction.names()));
              }
              Optional<String> tenant;
              try {
                tenant = tenantText.map(text -> TenantId.parse(text).value());
              } catch (IllegalArgumentException e) {
                return complete(Problems.badRequest("tenant: " + e.getMessage()));
              }
              Optional<Long> before = cursorText.map(text -> AuditCursor.parse(trail, text)
                  .orElseThrow(CursorRefused::new));
              Predicate<AuditEntry> filter = entry -> range.contains(entry.at())
                  && action.map(a -> entry.action() == a).orElse(true)
                  && tenant.map(t -> t.equals(entry.target().get("tenant"))).orElse(true);
              return onSuccess(audit.list(trail, filter, before, limit.get()), page -> complete(StatusCodes.OK,
                  ItemPage.of(page.entries(), page.next().map(next -> AuditCursor.of(trail, next))),
                  ApiJson.marshaller()));
            }))))));
  }
}
