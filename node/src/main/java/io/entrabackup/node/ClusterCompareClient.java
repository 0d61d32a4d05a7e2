package io.entrabackup.node;

import io.entrabackup.cluster.compare.Comparisons;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.http.object.CompareClient;
import io.entrabackup.protocol.AsyncFailures;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.ObjectComparison;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The compare route's view of the cluster: {@link Comparisons} once the tenant entity confirmed the tenant is the
 * caller's; a comparison with the live object also needs the tenant authorized (its Graph is read as a restore plan
 * reads it).
 */
final class ClusterCompareClient implements CompareClient {

  private static final String NOT_FOUND = "No such tenant, object or version in this account";

  private final TenantOwnership ownership;
  private final Comparisons comparisons;

  ClusterCompareClient(TenantOwnership ownership, Comparisons comparisons) {
    this.ownership = ownership;
    this.comparisons = comparisons;
  }

  @Override
  public CompletionStage<Outcome> compare(Caller caller, TenantId tenant, ObjectType type, String objectId,
      String from, Optional<String> to) {
    return ownership.tenant(caller.account(), tenant).thenCompose(view -> {
      if (view.isEmpty()) {
        return CompletableFuture.completedFuture(new Outcome.NotFound(NOT_FOUND));
      }
      if (to.isPresent()) {
        return answer(comparisons.snapshots(tenant, type, objectId, from, to.get()));
      }
      return withLive(view.get(), tenant, type, objectId, from);
    });
  }

  private CompletionStage<Outcome> withLive(TenantView view, TenantId tenant, ObjectType type, String objectId,
      String from) {
    if (view.status() != TenantStatus.AUTHORIZED || view.entraTenantId().isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome.Refused(409, "Tenant " + tenant + " is not authorized ("
          + view.status() + "), so its directory cannot be read now; compare two versions, or use Activate Backup"));
    }
    return answer(comparisons.withLive(tenant, view.entraTenantId().get(), type, objectId, from))
        .exceptionally(ClusterCompareClient::refusal);
  }

  private static CompletionStage<Outcome> answer(CompletionStage<Optional<ObjectComparison>> comparison) {
    return comparison.thenApply(found -> found.<Outcome>map(Outcome.Compared::new)
        .orElseGet(() -> new Outcome.NotFound(NOT_FOUND)));
  }

  /** Microsoft's refusal to answer the live read is the caller's to see (502), not an internal error. */
  private static Outcome refusal(Throwable error) {
    Throwable cause = AsyncFailures.cause(error);
    if (cause instanceof GraphAccessException graph) {
      return new Outcome.Refused(502, "Microsoft Graph: " + graph.getMessage());
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw new CompletionException(cause);
  }
}
