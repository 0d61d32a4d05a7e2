package io.entrabackup.cluster.account;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.approval.FourEyesChange;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.AccountSettings;
import io.entrabackup.protocol.account.FourEyes;
import io.entrabackup.protocol.account.PendingFourEyes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Accounts' own settings ({@code account_settings}, one row per account). Read on every restore and download that
 * may need four-eyes approval: one partition read. A missing row is the defaults. A relaxation of four eyes is stored
 * beside the rule in force with the time it takes effect ({@link FourEyesChange}); every read past that time sees it
 * in force, so no timer has to fire for it.
 */
public final class AccountSettingsStore {

  private final CassandraSession session;
  private final Clock clock;
  private final PreparedStatementCache select;
  private final PreparedStatementCache upsert;

  public AccountSettingsStore(CassandraSession session, String keyspace, Clock clock) {
    this.session = session;
    this.clock = clock;
    String table = keyspace + ".account_settings";
    select = new PreparedStatementCache(session, "SELECT four_eyes_privileged_restores, four_eyes_every_restore,"
        + " four_eyes_tenant_downloads, four_eyes_approval_window, pending_privileged_restores, pending_every_restore,"
        + " pending_tenant_downloads, pending_approval_window, pending_from, pending_by, updated_at FROM " + table
        + " WHERE account_id = ?");
    upsert = new PreparedStatementCache(session, "INSERT INTO " + table + " (account_id,"
        + " four_eyes_privileged_restores, four_eyes_every_restore, four_eyes_tenant_downloads,"
        + " four_eyes_approval_window, pending_privileged_restores, pending_every_restore, pending_tenant_downloads,"
        + " pending_approval_window, pending_from, pending_by, updated_at, updated_by)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }

  /** The settings in force now, with a relaxation still to come. */
  public CompletionStage<AccountSettings> settings(AccountId account) {
    return stored(account).thenApply(stored -> FourEyesChange.inForce(stored, now()));
  }

  private CompletionStage<AccountSettings> stored(AccountId account) {
    return select.get()
        .thenCompose(s -> session.selectOne(s.bind(account.value())))
        .thenApply(row -> row.map(AccountSettingsStore::settings).orElse(AccountSettings.DEFAULTS));
  }

  /**
   * Asks for {@code requested} (validated by the caller) on behalf of {@code keyId}: what tightens holds at once, what
   * relaxes is pending ({@link FourEyesChange}). Answers the settings as stored.
   */
  public CompletionStage<AccountSettings> save(AccountId account, AccountSettings requested, String keyId) {
    Instant now = now();
    return settings(account).thenCompose(inForce -> {
      AccountSettings next = FourEyesChange.apply(inForce, requested.fourEyes(), keyId, now);
      FourEyes fourEyes = next.fourEyes();
      Optional<PendingFourEyes> pending = next.pendingFourEyes();
      Optional<FourEyes> later = pending.map(PendingFourEyes::fourEyes);
      return upsert.get()
          .thenCompose(s -> session.executeWrite(s.bind(account.value(), fourEyes.privilegedRestores(),
              fourEyes.everyRestore(), fourEyes.tenantDownloads(), fourEyes.approvalWindow(),
              later.map(FourEyes::privilegedRestores).orElse(null), later.map(FourEyes::everyRestore).orElse(null),
              later.map(FourEyes::tenantDownloads).orElse(null), later.map(FourEyes::approvalWindow).orElse(null),
              pending.map(PendingFourEyes::from).orElse(null), pending.map(PendingFourEyes::requestedBy).orElse(null),
              now, keyId)))
          .thenApply((Done done) -> next);
    });
  }

  private static AccountSettings settings(Row row) {
    FourEyes inForce = new FourEyes(row.getBoolean("four_eyes_privileged_restores"),
        row.getBoolean("four_eyes_every_restore"), row.getBoolean("four_eyes_tenant_downloads"),
        row.getString("four_eyes_approval_window"));
    Instant from = row.getInstant("pending_from");
    if (from == null) {
      return new AccountSettings(inForce);
    }
    FourEyes later = new FourEyes(row.getBoolean("pending_privileged_restores"),
        row.getBoolean("pending_every_restore"), row.getBoolean("pending_tenant_downloads"),
        row.getString("pending_approval_window"));
    // The row is written whole, so the pending change was asked for when it was last updated.
    return new AccountSettings(inForce,
        Optional.of(new PendingFourEyes(later, from, row.getString("pending_by"), row.getInstant("updated_at"))));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
