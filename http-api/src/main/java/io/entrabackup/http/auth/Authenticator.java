package io.entrabackup.http.auth;

import io.entrabackup.protocol.account.Caller;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Decides who a request acts for, from its {@code Authorization} header. Empty means the request is
 * not authenticated (answered 401).
 */
@FunctionalInterface
public interface Authenticator {

  CompletionStage<Optional<Caller>> authenticate(Optional<String> authorizationHeader);
}
