package io.entrabackup.http.history;

import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.history.HistoryFinding;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/** Verifies a tenant's tamper-evident history (cluster/HISTORY.md) for the API. */
public interface HistoryClient {

  /** Starts a walk of the tenant's history, when the tenant is the caller's account's and the node has room for it. */
  CompletionStage<Outcome> verify(Caller caller, TenantId tenant);

  /** Whether the walk runs. */
  sealed interface Outcome {
    /** The walk's findings, as they come; materialize once. */
    record Walking(Source<HistoryFinding, NotUsed> findings) implements Outcome {}

    /** No such tenant in the caller's account (another account's looks the same). */
    record NotFound() implements Outcome {}

    /** The node runs as many verifications as it allows; try again when one has ended. */
    record Busy() implements Outcome {}
  }
}
