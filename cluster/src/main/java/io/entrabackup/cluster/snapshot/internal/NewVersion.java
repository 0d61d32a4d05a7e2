package io.entrabackup.cluster.snapshot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.Optional;

/** What a new version row says besides its state. */
public record NewVersion(ObjectType type, String objectId, String runId, Instant capturedAt,
    Optional<String> removed, String displayName, JsonNode userPrincipalName, Optional<String> detail) {}
