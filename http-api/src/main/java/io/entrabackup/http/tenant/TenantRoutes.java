package io.entrabackup.http.tenant;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.RegisterTenantRequest;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenantReply;
import io.entrabackup.protocol.tenant.TenantCommands.RegisterReply;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationRejected;
import io.entrabackup.protocol.tenant.TenantCommands.TenantFound;
import io.entrabackup.protocol.tenant.TenantRegistration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /tenants}: register a tenant, list the account's tenants, show one. */
public final class TenantRoutes extends AllDirectives {

  private final TenantClient tenants;
  private final HttpSettings settings;

  public TenantRoutes(TenantClient tenants, HttpSettings settings) {
    this.tenants = tenants;
    this.settings = settings;
  }

  public Route routes(AccountId account) {
    return pathPrefix("tenants", () -> concat(
        pathEndOrSingleSlash(() -> concat(
            post(() -> register(account)),
            get(() -> list(account)))),
        path(PathMatchers.segment(), id -> get(() -> show(account, id)))));
  }

  private Route register(AccountId account) {
    return withSizeLimit(settings.maxBodyBytes(), () ->
        entity(ApiJson.unmarshaller(RegisterTenantRequest.class), request -> {
          Optional<String> entraTenant = Optional.ofNullable(request.entraTenant()).filter(s -> !s.isBlank());
          Optional<String> problem =
              TenantRegistration.displayNameProblem(request.displayName())
                  .or(() -> TenantRegistration.entraTenantProblem(entraTenant));
          if (problem.isPresent()) {
            return complete(Problems.badRequest(problem.get()));
          }
          TenantId id = TenantId.random();
          return onSuccess(
              tenants.register(id, account, request.displayName(), entraTenant),
              reply -> registered(reply));
        }));
  }

  private Route registered(RegisterReply reply) {
    if (reply instanceof RegistrationAccepted accepted) {
      return respondWithHeader(
          Location.create("/api/v1/tenants/" + accepted.tenant().id()),
          () -> complete(StatusCodes.CREATED, accepted.tenant(), ApiJson.marshaller()));
    }
    return complete(Problems.conflict(((RegistrationRejected) reply).reason()));
  }

  private Route list(AccountId account) {
    return parameterOptional("limit", limitText -> parameterOptional("after", afterText -> {
      Optional<Integer> limit = limitText.map(parseLimit()).orElse(Optional.of(settings.defaultPageSize()));
      if (limit.isEmpty()) {
        return complete(Problems.badRequest(
            "limit must be a whole number from 1 to " + settings.maxPageSize()));
      }
      Optional<TenantId> after;
      try {
        after = afterText.map(TenantId::parse);
      } catch (IllegalArgumentException e) {
        return complete(Problems.badRequest("after: " + e.getMessage()));
      }
      return onSuccess(
          tenants.list(account, after, limit.get()),
          page -> complete(StatusCodes.OK, page, ApiJson.marshaller()));
    }));
  }

  private Function<String, Optional<Integer>> parseLimit() {
    return text -> {
      try {
        int value = Integer.parseInt(text.trim());
        return value >= 1 && value <= settings.maxPageSize() ? Optional.of(value) : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    };
  }

  private Route show(AccountId account, String idText) {
    TenantId id;
    try {
      id = TenantId.parse(idText);
    } catch (IllegalArgumentException e) {
      return complete(Problems.badRequest(e.getMessage()));
    }
    return onSuccess(tenants.get(id, account), reply -> found(id, reply));
  }

  private Route found(TenantId id, GetTenantReply reply) {
    if (reply instanceof TenantFound found) {
      return complete(StatusCodes.OK, found.tenant(), ApiJson.marshaller());
    }
    return complete(Problems.notFound("No tenant " + id + " in this account"));
  }
}
