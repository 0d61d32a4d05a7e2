package io.entrabackup.protocol.download;

import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.Optional;

/**
 * What a download holds, validated. Persisted in download events: add fields compatibly only.
 *
 * @param type set for the type and object scopes
 * @param objectId set for the object scope
 * @param versionId one version of the object; absent with the object scope means all its versions
 *     (or the one as of {@code asOf})
 * @param asOf the directory as backed up at that instant; absent means as of the request
 * @param runId the backup run {@code asOf} was taken from, when the caller chose a run
 * @param includeDeleted also objects whose version at {@code asOf} is a tombstone (their last state)
 */
public record DownloadSpec(
    DownloadScope scope,
    Optional<ObjectType> type,
    Optional<String> objectId,
    Optional<String> versionId,
    Optional<Instant> asOf,
    Optional<String> runId,
    boolean includeDeleted)
    implements CborSerializable {

  public static DownloadSpec tenant() {
    return new DownloadSpec(DownloadScope.TENANT, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false);
  }

  public DownloadSpec withAsOf(Instant instant, Optional<String> fromRun) {
    return new DownloadSpec(scope, type, objectId, versionId, Optional.of(instant), fromRun, includeDeleted);
  }

  public DownloadSpec withIncludeDeleted(boolean include) {
    return new DownloadSpec(scope, type, objectId, versionId, asOf, runId, include);
  }

  /** The object scope without a version or point in time: every version of the object. */
  public boolean allVersions() {
    return scope == DownloadScope.OBJECT && versionId.isEmpty() && asOf.isEmpty();
  }
}
