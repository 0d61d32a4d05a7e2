package io.entrabackup.cluster.tenant;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantListing;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.LastBackup;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.DirectoryDisputed;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantDeletionCancelled;
import io.entrabackup.protocol.tenant.TenantEvents.TenantDeletionScheduled;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
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
          + " object_counts, registered_at, running_backup, deletion_scheduled_for";

  private final CassandraSession session;
  private final PreparedStatementCache insertRegistered;
  private final PreparedStatementCache updateAuthorized;
  private final PreparedStatementCache updateStatus;
  private final PreparedStatementCache updateBackupCompleted;
  private final PreparedStatementCache updateBackupFailed;
  private final PreparedStatementCache updateBackupStarted;
  private final PreparedStatementCache updateDeletion;
  private final PreparedStatementCache allOfAccount;
  private final PreparedStatementCache namesOf;

  public TenantDirectory(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".tenants_by_account";
    String key = " WHERE account_id = ? AND tenant_id = ?";
    // Every write carries its event's own time as its write time: a projection's late or repeated write of an older
    // event can never overwrite what a newer one wrote (Cassandra keeps the cell with the newest write time), and the
    // registration written by the API as it answers is the very write the projection repeats later.
    String at = " USING TIMESTAMP ?";
    // A cleared text cell is written as '' rather than null: null writes a tombstone, and a row rewritten at every
    // backup would carry its tombstones into every read of the account's partition (Cassandra warned on 10,000
    // tenants). The reader takes '' for absent (present()).
    // The registration writes no status: a row without one is pending authorization. So it never undoes a status
    // that a later event wrote, whatever order the writes land in.
    this.insertRegistered = new PreparedStatementCache(session, "INSERT INTO " + table
        + " (account_id, tenant_id, display_name, entra_tenant, registered_at) VALUES (?, ?, ?, ?, ?)" + at);
    this.updateAuthorized = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET status = ?, status_reason = '', entra_tenant_id = ?, organization_name = ?, verified_domains = ?,"
        + " backup_frequency = ?, next_backup_at = ?" + key);
    this.updateStatus = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET status = ?, status_reason = ?, next_backup_at = null" + key);
    this.updateBackupCompleted = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET last_backup_result = ?, last_backup_at = ?, object_counts = ?, next_backup_at = ?,"
        + " running_backup = ''" + key);
    this.updateBackupFailed = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET last_backup_result = ?, last_backup_at = ?, next_backup_at = ?, running_backup = ''" + key);
    // A run's start and its end are written at their events' times, so the end (later) always wins, in any order.
    this.updateBackupStarted = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET running_backup = ?" + key);
    // A cancelled deletion clears the column (a tombstone, but once per offboarding undone: rare).
    this.updateDeletion = new PreparedStatementCache(session, "UPDATE " + table + at
        + " SET deletion_scheduled_for = ?" + key);
    this.namesOf = new PreparedStatementCache(session, "SELECT tenant_id, display_name, organization_name FROM " + table
        + " WHERE account_id = ? AND tenant_id IN ?");
    this.allOfAccount = new PreparedStatementCache(session,
        "SELECT " + COLUMNS + " FROM " + table + " WHERE account_id = ?");
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

  /**
   * Writes what the event changes of the tenant's row: what the projection does for every tenant event, and what a
   * benchmark seeding the list does. Events the dashboard does not show (consent requests, restores) change nothing.
   */
  public CompletionStage<Done> record(Event event) {
    if (event instanceof TenantRegistered registered) {
      return record(registered);
    } else if (event instanceof TenantAuthorized authorized) {
      return record(authorized);
    } else if (event instanceof AuthorizationRefused refused) {
      return record(refused);
    } else if (event instanceof AuthorizationLost lost) {
      return record(lost);
    } else if (event instanceof DirectoryDisputed disputed) {
      return write(updateStatus, writeTime(disputed.disputedAt()), TenantStatus.DIRECTORY_DISPUTED.name(),
          disputed.reason(), disputed.account().value(), disputed.tenantId().value());
    } else if (event instanceof BackupStarted started) {
      return record(started);
    } else if (event instanceof BackupCompleted completed) {
      return record(completed);
    } else if (event instanceof BackupFailed failed) {
      return record(failed);
    } else if (event instanceof TenantDeletionScheduled scheduled) {
      return write(updateDeletion, writeTime(scheduled.scheduledAt()), scheduled.deleteAt(),
          scheduled.account().value(), scheduled.tenantId().value());
    } else if (event instanceof TenantDeletionCancelled cancelled) {
      return write(updateDeletion, writeTime(cancelled.cancelledAt()), null, cancelled.account().value(),
          cancelled.tenantId().value());
    }
    return CompletableFuture.completedFuture(Done.getInstance());
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

  CompletionStage<Done> record(BackupStarted event) {
    return write(updateBackupStarted, writeTime(event.startedAt()), event.runId(), event.account().value(),
        event.tenantId().value());
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

  /**
   * One page of the account's tenants as the query asks, with the account's summary. The whole partition is read
   * (one row of a few hundred bytes per tenant) and searched, sorted and paged here: a search by substring and an
   * order by any column cannot be served by the partition's id order, and an account is bounded by its tenant quota
   * (http-api/LIMITS.md). 10,000 tenants are a few MB read in two driver pages, about a second at worst
   * (TenantDirectoryTest prints the time); an install whose accounts grow far beyond that would keep a sorted copy
   * per order instead. The summary and page come from the same read, so they always agree.
   */
  public CompletionStage<TenantPage> list(AccountId account, TenantQuery query) {
    return all(account).thenApply(rows -> {
      List<TenantView> tenants = rows.stream().map(row -> view(account, row)).toList();
      Set<String> backingUp = rows.stream().filter(row -> present(row, "running_backup").isPresent())
          .map(row -> row.getString("tenant_id")).collect(Collectors.toSet());
      return TenantListing.answer(tenants, backingUp, query);
    });
  }

  /**
   * The names of some of the account's tenants (System Status names a page of jobs' tenants): each one's display
   * name, else its Entra organization's; tenants without either are left out. One read of those rows.
   */
  public CompletionStage<Map<String, String>> names(AccountId account, List<String> tenantIds) {
    if (tenantIds.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return namesOf.get()
        .thenCompose(statement -> session.selectAll(statement.bind(account.value(), List.copyOf(tenantIds))))
        .thenApply(rows -> {
          Map<String, String> names = new HashMap<>();
          rows.forEach(row -> present(row, "display_name").or(() -> present(row, "organization_name"))
              .filter(name -> !name.isBlank())
              .ifPresent(name -> names.put(row.getString("tenant_id"), name)));
          return Map.copyOf(names);
        });
  }

  /** Every tenant of the account, in id order. */
  public CompletionStage<List<TenantView>> tenants(AccountId account) {
    return all(account).thenApply(rows -> rows.stream().map(row -> view(account, row)).toList());
  }

  private CompletionStage<List<Row>> all(AccountId account) {
    return allOfAccount.get().thenCompose(statement -> session.selectAll(statement.bind(account.value())));
  }

  /** A text cell that may have been cleared (written as '', see the constructor). */
  private static Optional<String> present(Row row, String column) {
    return Optional.ofNullable(row.getString(column)).filter(value -> !value.isEmpty());
  }

  private static TenantView view(AccountId account, Row row) {
    // No status yet: only the registration has been written.
    TenantStatus status = Optional.ofNullable(row.getString("status")).map(TenantStatus::valueOf)
        .orElse(TenantStatus.PENDING_AUTHORIZATION);
    Optional<Instant> lastBackupAt = Optional.ofNullable(row.getInstant("last_backup_at"));
    Optional<Instant> deletionAt = Optional.ofNullable(row.getInstant("deletion_scheduled_for"));
    return new TenantView(
        TenantId.parse(row.getString("tenant_id")),
        account,
        row.getString("display_name"),
        Optional.ofNullable(row.getString("entra_tenant")),
        status,
        present(row, "status_reason"),
        Optional.ofNullable(row.getString("entra_tenant_id")),
        Optional.ofNullable(row.getString("organization_name")),
        row.getList("verified_domains", String.class),
        Optional.ofNullable(row.getString("backup_frequency")),
        Optional.ofNullable(row.getInstant("next_backup_at")),
        lastBackupAt.map(at -> new LastBackup(LastBackup.Result.fromApiName(row.getString("last_backup_result")), at)),
        Map.copyOf(row.getMap("object_counts", String.class, Long.class)),
        TenantAction.availableIn(status, deletionAt.isPresent()),
        row.getInstant("registered_at"),
        deletionAt);
  }
}
