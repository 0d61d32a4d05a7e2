package io.entrabackup.cluster.download.internal;

import io.entrabackup.cluster.download.ExportException;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.StoredVersion;
import io.entrabackup.cluster.snapshot.VersionInfo;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.download.DownloadScope;
import io.entrabackup.protocol.download.DownloadSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The object versions a download holds, in ZIP order (type by type; within a type, the store's order of
 * latest rows: bucket, then object id), each with its path in the ZIP. A type is its latest rows streamed
 * page by page; only an object changed after {@code asOf} costs a read of its own partition
 * ({@code parallelism} at once): nothing here grows with the tenant.
 */
public final class ExportFiles {

  /** One JSON file of the ZIP. */
  public record ExportFile(ObjectType type, String path, StoredVersion version) {}

  // Colons are not allowed in Windows file names, so versions are named by a compact UTC time.
  private static final DateTimeFormatter VERSION_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final SnapshotStore store;
  private final TenantId tenant;
  private final DownloadSpec spec;
  private final Instant asOf;
  private final int parallelism;

  /** @param asOf the effective point in time: the spec's, or the request's when it has none */
  public ExportFiles(SnapshotStore store, TenantId tenant, DownloadSpec spec, Instant asOf, int parallelism) {
    this.store = store;
    this.tenant = tenant;
    this.spec = spec;
    this.asOf = asOf;
    this.parallelism = parallelism;
  }

  /** The types this download's manifest counts. */
  public List<ObjectType> types() {
    return spec.scope() == DownloadScope.TENANT ? ObjectType.inBackupOrder() : List.of(spec.type().orElseThrow());
  }

  public Source<ExportFile, NotUsed> files() {
    return switch (spec.scope()) {
      case TENANT -> Source.from(ObjectType.inBackupOrder()).flatMapConcat(this::ofType);
      case TYPE -> ofType(spec.type().orElseThrow());
      case OBJECT -> ofObject(spec.type().orElseThrow(), spec.objectId().orElseThrow());
    };
  }

  private Source<ExportFile, NotUsed> ofType(ObjectType type) {
    return store.latestOfType(tenant, type)
        .mapAsync(parallelism, latest -> atAsOf(type, latest))
        .filter(found -> found.isPresent() && (spec.includeDeleted() || !found.get().isTombstone()))
        .map(found -> new ExportFile(type, path(type, found.get().objectId()), found.get()));
  }

  /**
   * The object's version at asOf: its latest, unless that was captured later (a backup running since), then the
   * version before it from the object's own partition, or none when the object did not exist yet.
   */
  private CompletionStage<Optional<StoredVersion>> atAsOf(ObjectType type, StoredVersion latest) {
    return latest.capturedAt().isAfter(asOf)
        ? store.asOf(tenant, type, latest.objectId(), asOf)
        : CompletableFuture.completedFuture(Optional.of(latest));
  }

  private Source<ExportFile, NotUsed> ofObject(ObjectType type, String objectId) {
    if (spec.versionId().isPresent()) {
      return single(type, objectId, store.storedVersion(tenant, type, objectId, spec.versionId().get()),
          "version " + spec.versionId().get() + " of " + type.apiName() + " object " + objectId);
    }
    if (spec.asOf().isPresent()) {
      return single(type, objectId, store.asOf(tenant, type, objectId, asOf),
          type.apiName() + " object " + objectId + " as of " + asOf);
    }
    return Source.completionStage(store.versions(tenant, type, objectId))
        .mapConcat(versions -> oldestFirst(versions, type, objectId))
        .filter(version -> spec.includeDeleted() || version.removed().isEmpty())
        .mapAsync(parallelism, version -> store.storedVersion(tenant, type, objectId, version.versionId()))
        .filter(Optional::isPresent)
        .map(found -> new ExportFile(type, versionPath(type, found.get()), found.get()));
  }

  private static List<VersionInfo> oldestFirst(List<VersionInfo> versions, ObjectType type, String objectId) {
    if (versions.isEmpty()) {
      throw new ExportException("there is no backed-up " + type.apiName() + " object " + objectId);
    }
    List<VersionInfo> ordered = new ArrayList<>(versions);
    Collections.reverse(ordered);
    return ordered;
  }

  private Source<ExportFile, NotUsed> single(ObjectType type, String objectId,
      CompletionStage<Optional<StoredVersion>> read, String what) {
    return Source.completionStage(read).map(found -> {
      StoredVersion snapshot = found.orElseThrow(() -> new ExportException("there is no backed-up " + what));
      return new ExportFile(type, path(type, objectId), snapshot);
    });
  }

  static String path(ObjectType type, String objectId) {
    return type.apiName() + "/" + SafeFileNames.of(objectId) + ".json";
  }

  static String versionPath(ObjectType type, StoredVersion snapshot) {
    return type.apiName() + "/" + SafeFileNames.of(snapshot.objectId()) + "/"
        + VERSION_TIME.format(snapshot.capturedAt()) + "_" + snapshot.versionId() + ".json";
  }
}
