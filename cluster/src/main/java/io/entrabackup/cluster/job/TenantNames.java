package io.entrabackup.cluster.job;

import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The display names of an account's tenants, for System Status: one read of the account's partition of the dashboard
 * table ({@code tenants_by_account}) for the tenants of a page of jobs.
 */
final class TenantNames {

  private final CassandraSession session;
  private final PreparedStatementCache select;

  TenantNames(CassandraSession session, String keyspace) {
    this.session = session;
    this.select = new PreparedStatementCache(session, "SELECT tenant_id, display_name, organization_name FROM "
        + keyspace + ".tenants_by_account WHERE account_id = ? AND tenant_id IN ?");
  }

  /** Each listed tenant's name (its display name, else its Entra organization's); tenants without one are left out. */
  CompletionStage<Map<String, String>> of(AccountId account, List<String> tenantIds) {
    if (tenantIds.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return select.get()
        .thenCompose(s -> session.selectAll(s.bind(account.value(), List.copyOf(tenantIds))))
        .thenApply(rows -> {
          Map<String, String> names = new HashMap<>();
          rows.forEach(row -> name(row.getString("display_name"), row.getString("organization_name"))
              .ifPresent(name -> names.put(row.getString("tenant_id"), name)));
          return Map.copyOf(names);
        });
  }

  private static Optional<String> name(String displayName, String organizationName) {
    return Optional.ofNullable(displayName).filter(name -> !name.isBlank())
        .or(() -> Optional.ofNullable(organizationName).filter(name -> !name.isBlank()));
  }
}
