package io.entrabackup.http.object;

import static io.entrabackup.http.auth.RequireScope.require;

import io.entrabackup.protocol.account.Scope;
import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Paging;
import io.entrabackup.http.Problems;
import io.entrabackup.http.history.HistoryRoutes;
import io.entrabackup.http.restore.RestoreRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.ItemPage;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /tenants/{id}/objects}: the backed-up types with counts, a type's objects (searchable, paged),
 * an object's versions, one version's JSON, the difference between two versions and (with {@link CompareRoutes})
 * a version beside another or beside the live object.
 */
public final class ObjectRoutes extends AllDirectives {

  private static final int MAX_SEARCH_LENGTH = 256;
  private static final int MAX_ID_LENGTH = 256;

  private final ObjectClient objects;
  private final HttpSettings settings;
  private final Optional<RestoreRoutes> restoreRoutes;
  private final Optional<CompareRoutes> compareRoutes;
  private final Optional<HistoryRoutes> historyRoutes;

  /** {@code restoreRoutes} serve {@code restore-plans} and {@code restores} under each object, when present. */
  public ObjectRoutes(ObjectClient objects, HttpSettings settings, Optional<RestoreRoutes> restoreRoutes) {
    this(objects, settings, restoreRoutes, Optional.empty());
  }

  /** With {@code compareRoutes}, each object also answers {@code compare} (a snapshot beside another or live). */
  public ObjectRoutes(ObjectClient objects, HttpSettings settings, Optional<RestoreRoutes> restoreRoutes,
      Optional<CompareRoutes> compareRoutes) {
    this(objects, settings, restoreRoutes, compareRoutes, Optional.empty());
  }

  /** With {@code historyRoutes}, the tenant also answers {@code history/verification} (cluster/HISTORY.md). */
  public ObjectRoutes(ObjectClient objects, HttpSettings settings, Optional<RestoreRoutes> restoreRoutes,
      Optional<CompareRoutes> compareRoutes, Optional<HistoryRoutes> historyRoutes) {
    this.historyRoutes = historyRoutes;
    this.objects = objects;
    this.settings = settings;
    this.restoreRoutes = restoreRoutes;
    this.compareRoutes = compareRoutes;
  }

  /** The routes under one tenant, already parsed from the path. */
  public Route routes(Caller caller, TenantId tenant) {
    AccountId account = caller.account();
    return concat(historyRoutes.map(history -> history.routes(caller, tenant)).orElseGet(this::reject),
        pathPrefix("objects", () -> concat(
        pathEndOrSingleSlash(() -> get(() -> require(caller, Scope.READ, () -> answer(objects.types(account, tenant),
            types -> ItemPage.whole(types).alsoAs("types"))))),
        pathPrefix(PathMatchers.segment(), typeName -> withType(typeName, type -> concat(
            pathEndOrSingleSlash(() -> get(() -> require(caller, Scope.READ, () -> list(account, tenant, type)))),
            pathPrefix(PathMatchers.segment(), objectId -> withObjectId(objectId, () -> concat(
                path("versions", () -> get(() -> require(caller, Scope.READ, () ->
                    answer(objects.versions(account, tenant, type, objectId),
                        versions -> ItemPage.whole(versions).alsoAs("versions"))))),
                path(PathMatchers.segment("versions").slash(PathMatchers.segment()), versionId -> get(() ->
                    require(caller, Scope.READ, () ->
                        answer(objects.version(account, tenant, type, objectId, versionId), json -> json)))),
                path("diff", () -> get(() ->
                    require(caller, Scope.READ, () -> diff(account, tenant, type, objectId)))),
                compareRoutes.map(compare -> compare.route(caller, tenant, type, objectId)).orElseGet(this::reject),
                restoreRoutes.map(restore -> restore.routes(caller, tenant, type, objectId)).orElseGet(this::reject))))))))));
  }

  private Route withType(String name, Function<ObjectType, Route> inner) {
    return ObjectType.fromApiName(name)
        .map(inner)
        .orElseGet(() -> complete(Problems.notFound("No object type '" + name
            + "'; the types are users, groups, directoryRoles, roleDefinitions, roleAssignments")));
  }

  private Route withObjectId(String objectId, java.util.function.Supplier<Route> inner) {
    if (objectId.isBlank() || objectId.length() > MAX_ID_LENGTH) {
      return complete(Problems.badRequest("object id must be 1 to " + MAX_ID_LENGTH + " characters"));
    }
    return inner.get();
  }

  private Route list(AccountId account, TenantId tenant, ObjectType type) {
    return parameterOptional("search", search -> parameterOptional("limit", limitText ->
        parameterOptional("cursor", cursor -> {
          Optional<Integer> limit = Paging.limit(limitText, settings);
          if (limit.isEmpty()) {
            return complete(Paging.badLimit(settings));
          }
          if (search.filter(text -> text.length() > MAX_SEARCH_LENGTH).isPresent()) {
            return complete(Problems.badRequest("search is at most " + MAX_SEARCH_LENGTH + " characters"));
          }
          return answer(objects.objects(account, tenant, type, search.filter(s -> !s.isBlank()), cursor, limit.get()),
              page -> page);
        })));
  }

  private Route diff(AccountId account, TenantId tenant, ObjectType type, String objectId) {
    return parameterOptional("from", from -> parameterOptional("to", to -> {
      if (from.isEmpty() || to.isEmpty()) {
        return complete(Problems.badRequest("from and to are required: two versionIds of this object"));
      }
      return answer(objects.diff(account, tenant, type, objectId, from.get(), to.get()), diff -> diff);
    }));
  }

  private <T> Route answer(CompletionStage<Optional<T>> result, Function<T, Object> body) {
    return onSuccess(result, found -> found
        .<Route>map(value -> complete(StatusCodes.OK, body.apply(value), ApiJson.marshaller()))
        .orElseGet(() -> complete(Problems.notFound("No such tenant, object or version in this account"))));
  }
}
