package io.entrabackup.http.consent;

import io.entrabackup.protocol.tenant.ConsentOutcome;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Completes Microsoft's admin-consent redirect: checks its state, confirms with Graph, records the result. */
@FunctionalInterface
public interface ConsentClient {

  /** {@code query} is the callback's query string as Microsoft sent it ({@code state}, {@code tenant}, {@code error}, ...). */
  CompletionStage<ConsentOutcome> complete(Map<String, String> query);
}
