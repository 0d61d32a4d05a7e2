package io.entrabackup.http.account;

import io.entrabackup.http.ApiJson;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Problems;
import io.entrabackup.http.auth.RequireScope;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.AccountSettings;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET/PUT /accounts/{id}/settings}: an account's own settings (four-eyes approvals), for a key of that account
 * with the {@code admin} scope. Another account's settings do not exist for the caller (404), whoever it is: settings
 * are the account's own business, not the install administrator's. A relaxation of four eyes is answered 202 and
 * shown as {@code pendingFourEyes} until it takes effect.
 */
public final class AccountSettingsRoutes extends AllDirectives {

  private final AccountSettingsClient accounts;
  private final HttpSettings settings;

  public AccountSettingsRoutes(AccountSettingsClient accounts, HttpSettings settings) {
    this.accounts = accounts;
    this.settings = settings;
  }

  public Route routes(Caller caller) {
    return pathPrefix("accounts", () -> path(PathMatchers.segment().slash("settings"), idText ->
        ownAccount(caller, idText, account -> RequireScope.require(caller, Scope.ADMIN, () -> concat(
            get(() -> onSuccess(accounts.settings(account),
                current -> complete(StatusCodes.OK, current, ApiJson.marshaller()))),
            put(() -> replace(caller, account)))))));
  }

  private Route ownAccount(Caller caller, String idText, Function<AccountId, Route> inner) {
    Optional<AccountId> account = parse(idText);
    return account.filter(caller.account()::equals).map(inner)
        .orElseGet(() -> complete(Problems.notFound("No such account")));
  }

  private Route replace(Caller caller, AccountId account) {
    return ApiJson.withBody(settings, AccountSettings.class, requested -> {
      Optional<String> problem = requested.fourEyes().problem();
      if (problem.isPresent()) {
        return complete(Problems.badRequest("fourEyes." + problem.get()));
      }
      // 202 when part of the change waits (a relaxation of four eyes, cluster/.../approval/FourEyesChange): the
      // answer shows what is in force and what is pending, and the audit record carries the status.
      return onSuccess(accounts.save(account, requested, caller.keyId()),
          saved -> complete(saved.pendingFourEyes().isPresent() ? StatusCodes.ACCEPTED : StatusCodes.OK, saved,
              ApiJson.marshaller()));
    });
  }

  private static Optional<AccountId> parse(String text) {
    try {
      return Optional.of(new AccountId(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
