package io.entrabackup.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.snapshot.ObjectPage;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.UnknownCursor;
import io.entrabackup.cluster.snapshot.VersionInfo;
import io.entrabackup.http.CursorRefused;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectItem;
import io.entrabackup.protocol.backup.ObjectItemPage;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeSummary;
import io.entrabackup.protocol.backup.VersionDiff;
import io.entrabackup.protocol.backup.VersionItem;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The browsing routes' view of the cluster: the snapshot store, after the tenant entity has confirmed
 * the tenant is the caller's (another account's tenant reads as missing).
 */
final class ClusterObjectClient implements ObjectClient {

  private final TenantOwnership ownership;
  private final SnapshotStore store;

  ClusterObjectClient(TenantOwnership ownership, SnapshotStore store) {
    this.ownership = ownership;
    this.store = store;
  }

  @Override
  public CompletionStage<Optional<List<TypeSummary>>> types(AccountId account, TenantId tenant) {
    return owned(account, tenant, () -> store.counts(tenant).thenApply(counts -> Arrays.stream(ObjectType.values())
        .map(type -> new TypeSummary(type, counts.getOrDefault(type, 0L)))
        .toList()));
  }

  @Override
  public CompletionStage<Optional<ObjectItemPage>> objects(AccountId account, TenantId tenant, ObjectType type,
      Optional<String> search, Optional<String> cursor, int limit) {
    return owned(account, tenant, () -> objectPage(tenant, type, search, cursor, limit));
  }

  @Override
  public CompletionStage<Optional<List<VersionItem>>> versions(AccountId account, TenantId tenant, ObjectType type,
      String objectId) {
    return owned(account, tenant, () -> store.versions(tenant, type, objectId))
        .thenApply(found -> found.filter(versions -> !versions.isEmpty())
            .map(versions -> versions.stream().map(ClusterObjectClient::version).toList()));
  }

  @Override
  public CompletionStage<Optional<JsonNode>> version(AccountId account, TenantId tenant, ObjectType type,
      String objectId, String versionId) {
    return owned(account, tenant, () -> store.version(tenant, type, objectId, versionId))
        .thenApply(found -> found.flatMap(snapshot -> snapshot).map(snapshot -> (JsonNode) snapshot.state()));
  }

  @Override
  public CompletionStage<Optional<VersionDiff>> diff(AccountId account, TenantId tenant, ObjectType type,
      String objectId, String from, String to) {
    return owned(account, tenant, () -> store.diff(tenant, type, objectId, from, to))
        .thenApply(found -> found.flatMap(diff -> diff));
  }

  /** The snapshot store's page; a cursor it refuses becomes the API's {@link CursorRefused} (400, not logged). */
  private CompletionStage<ObjectItemPage> objectPage(TenantId tenant, ObjectType type, Optional<String> search,
      Optional<String> cursor, int limit) {
    try {
      return store.objects(tenant, type, search, cursor, limit).thenApply(ClusterObjectClient::page);
    } catch (UnknownCursor e) {
      return CompletableFuture.failedFuture(new CursorRefused());
    }
  }

  /** Runs {@code read} only when the tenant is the account's; empty otherwise. */
  private <T> CompletionStage<Optional<T>> owned(AccountId account, TenantId tenant, Supplier<CompletionStage<T>> read) {
    return ownership.ifOwned(account, tenant, view -> read.get());
  }

  private static ObjectItemPage page(ObjectPage page) {
    return new ObjectItemPage(page.items().stream()
        .map(item -> new ObjectItem(item.id(), item.displayName(), item.versionId(), item.capturedAt(), item.deleted(),
            item.detail()))
        .toList(), page.next().orElse(null));
  }

  private static VersionItem version(VersionInfo info) {
    return new VersionItem(info.versionId(), info.capturedAt(), info.runId(), info.removed());
  }
}
