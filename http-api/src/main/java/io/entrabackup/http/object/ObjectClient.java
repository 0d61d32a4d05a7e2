package io.entrabackup.http.object;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectItemPage;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeSummary;
import io.entrabackup.protocol.backup.VersionDiff;
import io.entrabackup.protocol.backup.VersionItem;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Browsing a tenant's backed-up objects. Every answer is empty when the tenant is not the account's
 * (or the object or version does not exist), so the routes answer 404 alike.
 */
public interface ObjectClient {

  CompletionStage<Optional<List<TypeSummary>>> types(AccountId account, TenantId tenant);

  CompletionStage<Optional<ObjectItemPage>> objects(AccountId account, TenantId tenant, ObjectType type,
      Optional<String> search, Optional<String> cursor, int limit);

  CompletionStage<Optional<List<VersionItem>>> versions(AccountId account, TenantId tenant, ObjectType type,
      String objectId);

  /** The version's JSON exactly as stored. */
  CompletionStage<Optional<JsonNode>> version(AccountId account, TenantId tenant, ObjectType type, String objectId,
      String versionId);

  CompletionStage<Optional<VersionDiff>> diff(AccountId account, TenantId tenant, ObjectType type, String objectId,
      String from, String to);
}
