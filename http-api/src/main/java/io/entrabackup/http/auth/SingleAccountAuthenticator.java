package io.entrabackup.http.auth;

import io.entrabackup.protocol.AccountId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Every request acts for one configured account. This is the single-MSP development mode until
 * API keys per account exist (issue 4); it never looks at the header.
 */
public final class SingleAccountAuthenticator implements Authenticator {

  private final AccountId account;

  public SingleAccountAuthenticator(AccountId account) {
    this.account = account;
  }

  @Override
  public CompletionStage<Optional<AccountId>> authenticate(Optional<String> authorizationHeader) {
    return CompletableFuture.completedFuture(Optional.of(account));
  }
}
