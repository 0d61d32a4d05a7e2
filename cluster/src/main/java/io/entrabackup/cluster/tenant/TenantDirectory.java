package io.entrabackup.cluster.tenant;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The read model behind the tenant list: {@code tenants_by_account}, written by the projection and
 * read by the API, so listing tenants never asks an entity.
 */
public final class TenantDirectory {

  private final CassandraSession session;
  private final PreparedStatementCache insert;
  private final PreparedStatementCache firstPage;
  private final PreparedStatementCache pageAfter;

  public TenantDirectory(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".tenants_by_account";
    this.insert =
        new PreparedStatementCache(session,
            "INSERT INTO " + table
                + " (account_id, tenant_id, display_name, entra_tenant, status, registered_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
    String select =
        "SELECT tenant_id, display_name, entra_tenant, status, registered_at FROM " + table
            + " WHERE account_id = ?";
    this.firstPage = new PreparedStatementCache(session, select + " LIMIT ?");
    this.pageAfter = new PreparedStatementCache(session, select + " AND tenant_id > ? LIMIT ?");
  }

  CompletionStage<Done> record(TenantRegistered event) {
    return insert.get().thenCompose(
        statement ->
            session.executeWrite(
                statement.bind(
                    event.account().value(),
                    event.tenantId().value(),
                    event.displayName(),
                    event.entraTenant().orElse(null),
                    TenantStatus.PENDING_AUTHORIZATION.name(),
                    event.registeredAt())));
  }

  /** One page of the account's tenants, in id order, starting after {@code after} when given. */
  public CompletionStage<TenantPage> list(AccountId account, Optional<TenantId> after, int limit) {
    // Ask for one more than shown: its presence says whether a next page exists.
    int fetch = limit + 1;
    CompletionStage<List<Row>> rows =
        after.isPresent()
            ? pageAfter.get().thenCompose(
                s -> session.selectAll(s.bind(account.value(), after.get().value(), fetch)))
            : firstPage.get().thenCompose(s -> session.selectAll(s.bind(account.value(), fetch)));
    return rows.thenApply(found -> page(account, found, limit));
  }

  private static TenantPage page(AccountId account, List<Row> rows, int limit) {
    List<TenantView> tenants = rows.stream().limit(limit).map(row -> view(account, row)).toList();
    String next = rows.size() > limit ? tenants.get(tenants.size() - 1).id().value() : null;
    return new TenantPage(tenants, next);
  }

  private static TenantView view(AccountId account, Row row) {
    return new TenantView(
        TenantId.parse(row.getString("tenant_id")),
        account,
        row.getString("display_name"),
        Optional.ofNullable(row.getString("entra_tenant")),
        TenantStatus.valueOf(row.getString("status")),
        row.getInstant("registered_at"));
  }
}
