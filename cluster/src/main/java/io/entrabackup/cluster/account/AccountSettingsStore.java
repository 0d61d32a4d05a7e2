package io.entrabackup.cluster.account;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.AccountSettings;
import io.entrabackup.protocol.account.FourEyes;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Accounts' own settings ({@code account_settings}, one row per account). Read on every restore and download that
 * may need four-eyes approval: one partition read. A missing row is the defaults.
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
        + " four_eyes_tenant_downloads, four_eyes_approval_window FROM " + table + " WHERE account_id = ?");
    upsert = new PreparedStatementCache(session, "INSERT INTO " + table + " (account_id,"
        + " four_eyes_privileged_restores, four_eyes_every_restore, four_eyes_tenant_downloads,"
        + " four_eyes_approval_window, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)");
  }

  public CompletionStage<AccountSettings> settings(AccountId account) {
    return select.get()
        .thenCompose(s -> session.selectOne(s.bind(account.value())))
        .thenApply(row -> row.map(AccountSettingsStore::settings).orElse(AccountSettings.DEFAULTS));
  }

  /** Replaces the account's settings (validated by the caller); {@code keyId} is who changed them. */
  public CompletionStage<AccountSettings> save(AccountId account, AccountSettings settings, String keyId) {
    FourEyes fourEyes = settings.fourEyes();
    return upsert.get()
        .thenCompose(s -> session.executeWrite(s.bind(account.value(), fourEyes.privilegedRestores(),
            fourEyes.everyRestore(), fourEyes.tenantDownloads(), fourEyes.approvalWindow(), clock.instant(), keyId)))
        .thenApply((Done done) -> settings);
  }

  private static AccountSettings settings(Row row) {
    return new AccountSettings(new FourEyes(row.getBoolean("four_eyes_privileged_restores"),
        row.getBoolean("four_eyes_every_restore"), row.getBoolean("four_eyes_tenant_downloads"),
        row.getString("four_eyes_approval_window")));
  }
}
