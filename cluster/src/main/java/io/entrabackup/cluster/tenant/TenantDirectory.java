package io.entrabackup.cluster.tenant;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.LastBackup;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The read model behind the dashboard's tenant list: {@code tenants_by_account}, written by the projection (and the
 * registration also by the API as it answers) and read by the API, so listing tenants never asks an entity.
 */
public final class TenantDirectory {

  private static final String COLUMNS =
      "tenant_id, display_name, entra_tenant, status, status_reason, entra_tenant_id, organization_name,"
          + " verified_domains, backup_frequency, next_backup_at, last_backup_result, last_backup_at,"
          + " object_counts, registered_at";

  private final CassandraSession session;
  private final PreparedStatementCache insertRegistered;
  private final PreparedStatementCache updateAuthorized;
  private final PreparedStatementCache updateStatus;
  private final PreparedStatementCache updateBackupCompleted;
  private final PreparedStatementCache updateBackupFailed;
  private final PreparedStatementCache firstPage;
  private final PreparedStatementCache pageAfter;

  public TenantDirectory(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".tenants_by_account";
    String key = " WHERE account_id = ? AND tenant_id = ?";
    // Every write carries its event's own time as its write time: a projection's late or repeated write of an older
    // event can never overwrite what a newer one wrote (Cassandra keeps the cell with the newest write time), and the
    // registration written by the API as it answers is the very write the projection repeats later.
    String at = " USING TIMESTAMP ?";
    // The registration writes no status: a row without one is pending authorization. So it never undoes a status
    // that a later event wrote, whatever order the writes land in.
    this.insertRegistered = new PreparedStatementCache(session, "INSERT INTO " + table
        + " (account_id, tenant_id, display_name, entra_tenant, registered_at) VALUES (?, ?, ?, ?, ?)" + at);
    this.updateAuthorized = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET status = ?, status_reason = null, entra_tenant_id = ?, organization_name = ?, verified_domains = ?,"
        + " backup_frequency = ?, next_backup_at = ?" + key);
    this.updateStatus = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET status = ?, status_reason = ?, next_backup_at = null" + key);
    this.updateBackupCompleted = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET last_backup_result = ?, last_backup_at = ?, object_counts = ?, next_backup_at = ?" + key);
    this.updateBackupFailed = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET last_backup_result = ?, last_backup_at = ?, next_backup_at = ?" + key);
    String select = "SELECT " + COLUMNS + " FROM " + table + " WHERE account_id = ?";
    this.firstPage = new PreparedStatementCache(session, select + " LIMIT ?");
    this.pageAfter = new PreparedStatementCache(session, select + " AND tenant_id > ? LIMIT ?");
  }

  /**
   * The tenant's row as registered. Also written by the API node before it answers the registration, so the
   * operator's very next list shows the tenant; the projection's write of the same event is the same cells at the same
   * write time.
   */
  public CompletionStage<Done> record(TenantRegistered event) {
    return write(insertRegistered, event.account().value(), event.tenantId().value(), event.displayName(),
        event.entraTenant().orElse(null), event.registeredAt(), writeTime(event.registeredAt()));
  }

  CompletionStage<Done> record(TenantAuthorized event) {
    return write(updateAuthorized, writeTime(event.authorizedAt()), TenantStatus.AUTHORIZED.name(),
        event.entraTenantId(), event.organizationName(), event.verifiedDomains(),
        BackupFrequency.format(event.frequency()), event.nextBackupAt(), event.account().value(),
        event.tenantId().value());
  }

  CompletionStage<Done> record(AuthorizationRefused event) {
    String reason = event.description().isBlank() ? event.error() : event.error() + ": " + event.description();
    return write(updateStatus, writeTime(event.refusedAt()), TenantStatus.AUTHORIZATION_REFUSED.name(), reason,
        event.account().value(), event.tenantId().value());
  }

  CompletionStage<Done> record(AuthorizationLost event) {
    return write(updateStatus, writeTime(event.lostAt()), TenantStatus.AUTHORIZATION_LOST.name(), event.reason(),
        event.account().value(), event.tenantId().value());
  }

  CompletionStage<Done> record(BackupCompleted event) {
    return write(updateBackupCompleted, writeTime(event.finishedAt()), LastBackup.Result.COMPLETED.apiName(),
        event.finishedAt(), event.objectCounts(), event.nextBackupAt(), event.account().value(),
        event.tenantId().value());
  }

  CompletionStage<Done> record(BackupFailed event) {
    return write(updateBackupFailed, writeTime(event.finishedAt()), LastBackup.Result.FAILED.apiName(),
        event.finishedAt(), event.nextBackupAt().orElse(null), event.account().value(), event.tenantId().value());
  }

  /**
   * A write time (microseconds, as Cassandra counts) taken from the event: one tenant's events are written in order by
   * its one entity, so their times order its writes whichever node or projection instance makes them, and when.
   */
  static long writeTime(Instant eventTime) {
    return Math.addExact(Math.multiplyExact(eventTime.getEpochSecond(), 1_000_000L), eventTime.getNano() / 1_000);
  }

  private CompletionStage<Done> write(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> session.executeWrite(prepared.bind(values)));
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
    // No status yet: only the registration has been written.
    TenantStatus status = Optional.ofNullable(row.getString("status")).map(TenantStatus::valueOf)
        .orElse(TenantStatus.PENDING_AUTHORIZATION);
    Optional<Instant> lastBackupAt = Optional.ofNullable(row.getInstant("last_backup_at"));
    return new TenantView(
        TenantId.parse(row.getString("tenant_id")),
        account,
        row.getString("display_name"),
        Optional.ofNullable(row.getString("entra_tenant")),
        status,
        Optional.ofNullable(row.getString("status_reason")),
        Optional.ofNullable(row.getString("entra_tenant_id")),
        Optional.ofNullable(row.getString("organization_name")),
        row.getList("verified_domains", String.class),
        Optional.ofNullable(row.getString("backup_frequency")),
        Optional.ofNullable(row.getInstant("next_backup_at")),
        lastBackupAt.map(at -> new LastBackup(LastBackup.Result.fromApiName(row.getString("last_backup_result")), at)),
        Map.copyOf(row.getMap("object_counts", String.class, Long.class)),
        TenantAction.availableIn(status),
        row.getInstant("registered_at"));
  }
}
