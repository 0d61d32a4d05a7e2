package io.entrabackup.protocol.download;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A download job's own part of its System Status entry.
 *
 * @param link the signed content URL (path and query), present once the ZIP is ready and until it expires
 * @param countsByType objects in the ZIP per type, once ready
 * @param accesses who fetched the ZIP and when, newest first (only when one job is shown)
 */
@JsonIgnoreProperties(value = "linkExpired", allowGetters = true)
public record DownloadView(
    DownloadScope scope,
    Optional<ObjectType> type,
    Optional<String> objectId,
    Optional<String> versionId,
    Optional<Instant> asOf,
    Optional<String> runId,
    boolean includeDeleted,
    Optional<String> fileName,
    Optional<Long> sizeBytes,
    Optional<String> sha256,
    Optional<String> link,
    Optional<Instant> expiresAt,
    Map<String, Long> countsByType,
    Optional<List<DownloadAccess>> accesses) {

  public DownloadView withAccesses(List<DownloadAccess> list) {
    return new DownloadView(scope, type, objectId, versionId, asOf, runId, includeDeleted, fileName, sizeBytes,
        sha256, link, expiresAt, countsByType, Optional.of(List.copyOf(list)));
  }

  /** The ZIP was published and its link has expired (links are valid for a fixed time, then System Status says so). */
  @JsonProperty("linkExpired")
  public boolean linkExpired() {
    return link.isEmpty() && expiresAt.isPresent();
  }
}
