package io.entrabackup.http.auth;

import io.entrabackup.protocol.AccountId;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Decides which MSP account a request acts for, from its {@code Authorization} header. Empty means
 * the request is not authenticated (answered 401).
 */
@FunctionalInterface
public interface Authenticator {

  CompletionStage<Optional<AccountId>> authenticate(Optional<String> authorizationHeader);
}
