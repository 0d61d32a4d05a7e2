package io.entrabackup.protocol.download;

import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/tenants/{id}/downloads}, as sent: {@code {"scope": "tenant"}},
 * {@code {"scope": "type", "type": "users"}} or {@code {"scope": "object", "type": "users", "objectId": "...",
 * "versionId": "..."}}, each with optional {@code asOf} (ISO-8601 instant) or {@code runId} (a completed
 * backup job) and {@code includeDeleted}.
 */
public record DownloadRequest(
    String scope, String type, String objectId, String versionId, String asOf, String runId, Boolean includeDeleted) {

  /** Longest object id accepted (Graph ids are far shorter). */
  private static final int MAX_OBJECT_ID_LENGTH = 256;

  /** The validated spec (without a run's instant: the caller resolves {@code runId}), or why it is invalid. */
  public Validated validate() {
    Optional<DownloadScope> parsedScope = Optional.ofNullable(scope).flatMap(DownloadScope::fromApiName);
    if (parsedScope.isEmpty()) {
      return invalid("scope is required: tenant, type or object");
    }
    DownloadScope s = parsedScope.get();
    Optional<ObjectType> parsedType = Optional.ofNullable(type).flatMap(ObjectType::fromApiName);
    if (s == DownloadScope.TENANT && (type != null || objectId != null || versionId != null)) {
      return invalid("the tenant scope takes no type, objectId or versionId");
    }
    if (s != DownloadScope.TENANT && parsedType.isEmpty()) {
      return invalid("type is required with the " + s.apiName()
          + " scope: users, groups, directoryRoles, roleDefinitions or roleAssignments");
    }
    if (s == DownloadScope.TYPE && (objectId != null || versionId != null)) {
      return invalid("the type scope takes no objectId or versionId");
    }
    if (s == DownloadScope.OBJECT && (objectId == null || objectId.isBlank() || objectId.length() > MAX_OBJECT_ID_LENGTH
        || objectId.chars().anyMatch(Character::isISOControl))) {
      return invalid("objectId is required with the object scope (at most " + MAX_OBJECT_ID_LENGTH + " characters)");
    }
    if (versionId != null && !isTimeUuid(versionId)) {
      return invalid("versionId must be a version id from the object's versions");
    }
    if (asOf != null && runId != null) {
      return invalid("give asOf or runId, not both");
    }
    if (versionId != null && (asOf != null || runId != null)) {
      return invalid("a versionId names one version; asOf and runId do not apply");
    }
    Optional<Instant> instant;
    try {
      instant = Optional.ofNullable(asOf).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return invalid("asOf must be an ISO-8601 instant such as 2026-11-20T08:00:00Z");
    }
    if (runId != null && !isTimeUuid(runId)) {
      return invalid("runId must be the job id of a completed backup of this tenant");
    }
    return new Validated(Optional.of(new DownloadSpec(s, parsedType, Optional.ofNullable(objectId),
        Optional.ofNullable(versionId).map(String::toLowerCase), instant, Optional.ofNullable(runId),
        Boolean.TRUE.equals(includeDeleted))), Optional.empty());
  }

  private static Validated invalid(String problem) {
    return new Validated(Optional.empty(), Optional.of(problem));
  }

  private static boolean isTimeUuid(String text) {
    try {
      return UUID.fromString(text).version() == 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Either a spec or a problem for the caller. */
  public record Validated(Optional<DownloadSpec> spec, Optional<String> problem) {}
}
