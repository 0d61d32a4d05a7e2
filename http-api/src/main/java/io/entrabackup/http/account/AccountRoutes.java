package io.entrabackup.http.account;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.CreateAccountRequest;
import io.entrabackup.protocol.account.CreateApiKeyRequest;
import io.entrabackup.protocol.api.ItemPage;
import io.entrabackup.protocol.api.Problem;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /accounts}: install administrators create accounts; an account manages its own API keys
 * (another account's answers 404, never 403).
 */
public final class AccountRoutes extends AllDirectives {

  private static final int MAX_NAME_LENGTH = 100;

  private final AccountClient accounts;
  private final HttpSettings settings;

  public AccountRoutes(AccountClient accounts, HttpSettings settings) {
    this.accounts = accounts;
    this.settings = settings;
  }

  public Route routes(Caller caller) {
    return pathPrefix("accounts", () -> concat(
        pathEndOrSingleSlash(() -> post(() -> createAccount(caller))),
        pathPrefix(PathMatchers.segment(), idText -> withManagedAccount(caller, idText, account ->
            pathPrefix("keys", () -> concat(
                pathEndOrSingleSlash(() -> concat(
                    post(() -> createKey(account)),
                    get(() -> listKeys(account)))),
                path(PathMatchers.segment(), keyId -> delete(() -> revokeKey(account, keyId)))))))));
  }

  private Route withManagedAccount(Caller caller, String idText, Function<AccountId, Route> inner) {
    AccountId account;
    try {
      account = new AccountId(idText);
    } catch (IllegalArgumentException e) {
      return complete(Problems.badRequest(e.getMessage()));
    }
    return caller.mayManage(account) ? inner.apply(account) : complete(noSuchAccount());
  }

  private Route createAccount(Caller caller) {
    if (!caller.admin()) {
      return complete(Problems.response(Problem.of("forbidden", "Forbidden", 403,
          "Only an install administrator's key may create accounts")));
    }
    return ApiJson.withBody(settings, CreateAccountRequest.class, request -> {
      AccountId id;
      try {
        id = new AccountId(request.id());
      } catch (IllegalArgumentException e) {
        return complete(Problems.badRequest("id: " + e.getMessage()));
      }
      String displayName = request.displayName() == null ? "" : request.displayName().strip();
      if (displayName.isEmpty() || displayName.length() > MAX_NAME_LENGTH) {
        return complete(Problems.badRequest("displayName is required, at most " + MAX_NAME_LENGTH + " characters"));
      }
      return onSuccess(accounts.createAccount(id, displayName), created -> created
          .<Route>map(account -> complete(StatusCodes.CREATED, account, ApiJson.marshaller()))
          .orElseGet(() -> complete(Problems.conflict("account " + id + " already exists"))));
    });
  }

  private Route createKey(AccountId account) {
    return ApiJson.withBody(settings, CreateApiKeyRequest.class, request -> {
      String name = request.name() == null ? "" : request.name().strip();
      if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
        return complete(Problems.badRequest("name is required, at most " + MAX_NAME_LENGTH + " characters"));
      }
      return onSuccess(accounts.createKey(account, name), created -> created
          .<Route>map(key -> complete(StatusCodes.CREATED, key, ApiJson.marshaller()))
          .orElseGet(() -> complete(noSuchAccount())));
    });
  }

  private Route listKeys(AccountId account) {
    return onSuccess(accounts.listKeys(account), keys -> keys
        .<Route>map(list -> complete(StatusCodes.OK, ItemPage.whole(list).alsoAs("keys"), ApiJson.marshaller()))
        .orElseGet(() -> complete(noSuchAccount())));
  }

  private Route revokeKey(AccountId account, String keyId) {
    return onSuccess(accounts.revokeKey(account, keyId), revoked -> revoked
        ? complete(StatusCodes.NO_CONTENT)
        : complete(Problems.notFound("No key " + keyId + " in account " + account)));
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse noSuchAccount() {
    return Problems.notFound("No such account");
  }
}
