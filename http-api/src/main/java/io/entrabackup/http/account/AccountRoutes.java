package io.entrabackup.http.account;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Problems;
import io.entrabackup.http.auth.RequireScope;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.CreateAccountRequest;
import io.entrabackup.protocol.account.CreateApiKeyRequest;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.ItemPage;
import io.entrabackup.protocol.api.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /accounts}: install administrators create accounts; an account's keys with the {@code admin} scope manage
 * its keys, never giving more than they hold ({@link KeyGrants}). Another account's answers 404, never 403; the own
 * account without {@code admin} answers 403 naming the scope.
 */
public final class AccountRoutes extends AllDirectives {

  private static final int MAX_NAME_LENGTH = 100;
  private static final int MAX_KEY_ID_LENGTH = 64;

  private final AccountClient accounts;
  private final HttpSettings settings;

  public AccountRoutes(AccountClient accounts, HttpSettings settings) {
    this.accounts = accounts;
    this.settings = settings;
  }

  public Route routes(Caller caller) {
    return pathPrefix("accounts", () -> concat(
        pathEndOrSingleSlash(() -> post(() -> createAccount(caller))),
        pathPrefix(PathMatchers.segment(), idText -> pathEndOrSingleSlash(() ->
            delete(() -> deleteAccount(caller, idText)))),
        pathPrefix(PathMatchers.segment(), idText -> pathPrefix("keys", () ->
            withManagedAccount(caller, idText, account -> concat(
                pathEndOrSingleSlash(() -> concat(
                    post(() -> createKey(caller, account)),
                    get(() -> listKeys(account)))),
                pathPrefix(PathMatchers.segment(), keyId -> concat(
                    pathEndOrSingleSlash(() -> delete(() ->
                        withKey(account, keyId, key -> revokeKey(caller, account, key)))),
                    path("rotate", () -> post(() ->
                        withKey(account, keyId, key -> rotateKey(caller, account, key))))))))))));
  }

  private Route withManagedAccount(Caller caller, String idText, Function<AccountId, Route> inner) {
    AccountId account;
    try {
      account = new AccountId(idText);
    } catch (IllegalArgumentException e) {
      return complete(Problems.badRequest(e.getMessage()));
    }
    if (caller.mayManage(account)) {
      return inner.apply(account);
    }
    return complete(caller.account().equals(account) ? RequireScope.missing(Scope.ADMIN) : noSuchAccount());
  }

  private Route createAccount(Caller caller) {
    if (!caller.installAdmin()) {
      return complete(forbidden("Only an install administrator's key may create accounts"));
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

  /**
   * An install administrator deletes an account: 202 with each of its tenants now scheduled for deletion (its data
   * goes when its grace period ends, unless the account's admin cancels that tenant's deletion before).
   */
  private Route deleteAccount(Caller caller, String idText) {
    AccountId account;
    try {
      account = new AccountId(idText);
    } catch (IllegalArgumentException e) {
      return complete(Problems.badRequest(e.getMessage()));
    }
    if (!caller.installAdmin()) {
      // As everywhere: another account is not found; one's own says what it takes.
      return complete(caller.account().equals(account)
          ? forbidden("Only an install administrator's key may delete accounts")
          : noSuchAccount());
    }
    return onSuccess(accounts.scheduleDeletion(account, caller.keyId()), deletion -> deletion
        .<Route>map(scheduled -> complete(StatusCodes.ACCEPTED, scheduled, ApiJson.marshaller()))
        .orElseGet(() -> complete(noSuchAccount())));
  }

  private Route createKey(Caller caller, AccountId account) {
    return ApiJson.withBody(settings, CreateApiKeyRequest.class, request -> {
      String name = request.name() == null ? "" : request.name().strip();
      if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
        return complete(Problems.badRequest("name is required, at most " + MAX_NAME_LENGTH + " characters"));
      }
      List<String> names = request.scopes() == null ? CreateApiKeyRequest.DEFAULT_SCOPES : request.scopes();
      Set<Scope> scopes;
      try {
        scopes = scopes(names);
      } catch (IllegalArgumentException e) {
        return complete(Problems.badRequest("scopes: " + e.getMessage()));
      }
      Optional<String> refusal = KeyGrants.refusalToGrant(caller, scopes);
      if (refusal.isPresent()) {
        return complete(forbidden(refusal.get()));
      }
      return onSuccess(accounts.listKeys(account), keys -> keys.isEmpty()
          ? complete(noSuchAccount())
          : liveKeys(keys.get()) >= settings.maxKeysPerAccount()
          ? complete(keyLimitReached())
          : onSuccess(accounts.createKey(account, name, scopes, caller), created -> created
              .<Route>map(key -> complete(StatusCodes.CREATED, key, ApiJson.marshaller()))
              .orElseGet(() -> complete(noSuchAccount()))));
    });
  }

  private static long liveKeys(List<ApiKeyView> keys) {
    return keys.stream().filter(key -> key.revokedAt().isEmpty()).count();
  }

  /**
   * 409, as for the tenants-per-account limit: the request is well formed (a 422 would say it is not), it conflicts
   * with the account's state, and revoking a key resolves it. Counted before the key is stored, so keys created at
   * the same moment may pass the limit by as many as race; a bound on keys, not an exact quota.
   */
  private HttpResponse keyLimitReached() {
    return Problems.conflict("This account has reached its limit of " + settings.maxKeysPerAccount()
        + " live API keys (entra-backup.http.limits.max-keys-per-account); revoke a key it no longer uses first");
  }

  private static Set<Scope> scopes(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("name at least one of read, operate, restore, admin (absent means read)");
    }
    List<Scope> scopes = new ArrayList<>();
    for (String name : names) {
      scopes.add(Scope.fromApiName(name));
    }
    return Scope.ordered(scopes);
  }

  private Route listKeys(AccountId account) {
    return onSuccess(accounts.listKeys(account), keys -> keys
        .<Route>map(list -> complete(StatusCodes.OK, ItemPage.whole(list).alsoAs("keys"), ApiJson.marshaller()))
        .orElseGet(() -> complete(noSuchAccount())));
  }

  private Route withKey(AccountId account, String keyId, Function<ApiKeyView, Route> inner) {
    if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH) {
      return complete(Problems.notFound("No such key in account " + account));
    }
    return onSuccess(accounts.key(account, keyId), key -> key
        .map(inner)
        .orElseGet(() -> complete(noSuchKey(account, keyId))));
  }

  private Route revokeKey(Caller caller, AccountId account, ApiKeyView key) {
    return refusedOr(KeyGrants.refusalToRevoke(caller, key), () ->
        onSuccess(accounts.revokeKey(account, key.keyId()), revoked -> revoked
            ? complete(StatusCodes.NO_CONTENT)
            : complete(noSuchKey(account, key.keyId()))));
  }

  private Route rotateKey(Caller caller, AccountId account, ApiKeyView key) {
    return refusedOr(KeyGrants.refusalToRotate(caller, key), () -> {
      if (key.revokedAt().isPresent()) {
        return complete(revoked(key));
      }
      return onSuccess(accounts.rotateKey(account, key.keyId(), caller), rotated -> rotated
          .<Route>map(fresh -> complete(StatusCodes.OK, fresh, ApiJson.marshaller()))
          .orElseGet(() -> complete(revoked(key))));
    });
  }

  private Route refusedOr(Optional<String> refusal, Supplier<Route> inner) {
    return refusal.<Route>map(detail -> complete(forbidden(detail))).orElseGet(inner);
  }

  private static HttpResponse forbidden(String detail) {
    return Problems.response(Problem.of("forbidden", "Forbidden", 403, detail));
  }

  private static HttpResponse revoked(ApiKeyView key) {
    return Problems.conflict("Key " + key.keyId() + " is revoked; create a new key instead");
  }

  private static HttpResponse noSuchAccount() {
    return Problems.notFound("No such account");
  }

  private static HttpResponse noSuchKey(AccountId account, String keyId) {
    return Problems.notFound("No key " + keyId + " in account " + account);
  }
}
