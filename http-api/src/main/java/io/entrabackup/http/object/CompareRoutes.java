package io.entrabackup.http.object;

import static io.entrabackup.http.auth.RequireScope.require;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /tenants/{id}/objects/{type}/{objectId}/compare?from={versionId}&to={versionId|live}}: a snapshot beside
 * another snapshot or beside the live object, property by property, with members and owners added and removed.
 */
public final class CompareRoutes extends AllDirectives {

  /** The {@code to} that names the object as Microsoft Graph shows it now. */
  public static final String LIVE = "live";

  private final CompareClient comparisons;

  public CompareRoutes(CompareClient comparisons) {
    this.comparisons = comparisons;
  }

  /** The route for one object, its type and id already checked. */
  public Route route(Caller caller, TenantId tenant, ObjectType type, String objectId) {
    return path("compare", () -> get(() -> require(caller, Scope.READ, () ->
        parameterOptional("from", from -> parameterOptional("to", to -> compare(caller, tenant, type, objectId,
            from, to))))));
  }

  private Route compare(Caller caller, TenantId tenant, ObjectType type, String objectId, Optional<String> from,
      Optional<String> to) {
    if (from.isEmpty() || to.isEmpty()) {
      return complete(Problems.badRequest("from and to are required: from a versionId of this object, to another"
          + " versionId or 'live'"));
    }
    if (!isVersionId(from.get())) {
      return complete(Problems.badRequest("from must be a versionId from the object's versions"));
    }
    boolean live = LIVE.equals(to.get());
    if (!live && !isVersionId(to.get())) {
      return complete(Problems.badRequest("to must be a versionId from the object's versions, or 'live'"));
    }
    if (live && !type.isRestorable()) {
      return complete(Problems.badRequest(type.apiName() + " are not read live; compare two versions instead"));
    }
    Optional<String> toVersion = live ? Optional.empty() : Optional.of(to.get().toLowerCase());
    return onSuccess(comparisons.compare(caller, tenant, type, objectId, from.get().toLowerCase(), toVersion),
        this::answer);
  }

  private Route answer(CompareClient.Outcome outcome) {
    if (outcome instanceof CompareClient.Outcome.Compared compared) {
      return complete(StatusCodes.OK, compared.comparison(), ApiJson.marshaller());
    }
    if (outcome instanceof CompareClient.Outcome.Refused refused) {
      return complete(Problems.response(Problem.of("compare-refused", "The comparison cannot be made now",
          refused.status(), refused.detail())));
    }
    return complete(Problems.notFound(((CompareClient.Outcome.NotFound) outcome).detail()));
  }

  /** Versions are time-based UUIDs; anything else cannot name one (and is not worth a read). */
  private static boolean isVersionId(String text) {
    try {
      return text.length() == 36 && UUID.fromString(text).version() == 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
