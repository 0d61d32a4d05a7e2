package io.entrabackup.http.consent;

import io.entrabackup.protocol.tenant.ConsentOutcome;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Completes Microsoft's redirects of "Sign in with Microsoft": the sign-in's (verifies who signed in, answers where
 * admin consent continues) and admin consent's (checks it is the signed-in directory, confirms with Graph, records the
 * result).
 */
@FunctionalInterface
public interface ConsentClient {

  /** {@code query} is the callback's query string as Microsoft sent it ({@code state}, {@code code}, {@code tenant}, {@code error}, ...). */
  CompletionStage<ConsentOutcome> complete(Map<String, String> query);
}
