package io.entrabackup.http.auth;

import io.entrabackup.protocol.account.Caller;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Accepts {@code Authorization: Bearer <api key>} and asks the key store whose key it is. */
public final class BearerKeyAuthenticator implements Authenticator {

  private static final String SCHEME = "bearer ";

  private final Function<String, CompletionStage<Optional<Caller>>> keyStore;

  public BearerKeyAuthenticator(Function<String, CompletionStage<Optional<Caller>>> keyStore) {
    this.keyStore = keyStore;
  }

  @Override
  public CompletionStage<Optional<Caller>> authenticate(Optional<String> authorizationHeader) {
    return authorizationHeader
        .filter(header -> header.length() > SCHEME.length()
            && header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME))
        .map(header -> header.substring(SCHEME.length()).strip())
        .filter(key -> !key.isEmpty())
        .map(keyStore)
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }
}
