package io.entrabackup.cluster.retention;

import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.retention.RetentionView;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Retention settings ({@code retention_policies}): an account's (tenant id '') and its tenants' own. Days 0 is
 * unlimited; a tenant that inherits again has its row set to -1 (a value, not a delete: no tombstone).
 */
public final class RetentionPolicies {

  /** The account-wide row's tenant id. */
  static final String ACCOUNT_ROW = "";
  static final int UNLIMITED = 0;
  static final int INHERIT = -1;
  private static final int BUCKET = 0;

  /** One account's settings: its own days (empty = never set) and its tenants' overrides. */
  record AccountPolicies(String accountId, Optional<Integer> accountDays, Map<String, Integer> tenantDays) {

    /** The retention that applies to the tenant. */
    RetentionView forTenant(String tenantId) {
      Integer own = tenantDays.get(tenantId);
      if (own != null && own != INHERIT) {
        return view(own, RetentionView.TENANT);
      }
      return forAccount();
    }

    RetentionView forAccount() {
      return accountDays.map(days -> view(days, RetentionView.ACCOUNT))
          .orElse(new RetentionView(null, RetentionView.DEFAULT));
    }

    private static RetentionView view(int days, String source) {
      return new RetentionView(days == UNLIMITED ? null : days, source);
    }
  }

  private final CassandraSession session;
  private final Clock clock;
  private final PreparedStatementCache selectAll;
  private final PreparedStatementCache selectAccount;
  private final PreparedStatementCache upsert;

  public RetentionPolicies(CassandraSession session, String keyspace, Clock clock) {
    this.session = session;
    this.clock = clock;
    String table = keyspace + ".retention_policies";
    selectAll = new PreparedStatementCache(session, "SELECT account_id, tenant_id, keep_days FROM " + table
        + " WHERE bucket = " + BUCKET);
    selectAccount = new PreparedStatementCache(session, "SELECT account_id, tenant_id, keep_days FROM " + table
        + " WHERE bucket = " + BUCKET + " AND account_id = ?");
    upsert = new PreparedStatementCache(session, "INSERT INTO " + table + " (bucket, account_id, tenant_id, keep_days,"
        + " updated_at, updated_by) VALUES (" + BUCKET + ", ?, ?, ?, ?, ?)");
  }

  CompletionStage<AccountPolicies> of(AccountId account) {
    return selectAccount.get().thenCompose(s -> session.selectAll(s.bind(account.value())))
        .thenApply(rows -> group(rows).getOrDefault(account.value(),
            new AccountPolicies(account.value(), Optional.empty(), Map.of())));
  }

  /** Every account that set anything (the schedule's list). */
  CompletionStage<List<AccountPolicies>> all() {
    return selectAll.get().thenCompose(s -> session.selectAll(s.bind()))
        .thenApply(rows -> List.copyOf(group(rows).values()));
  }

  /** @param tenantId {@link #ACCOUNT_ROW} for the account's own */
  CompletionStage<Done> save(AccountId account, String tenantId, int days, String keyId) {
    return upsert.get().thenCompose(s -> session.executeWrite(s.bind(account.value(), tenantId, days,
        clock.instant(), keyId)));
  }

  private static Map<String, AccountPolicies> group(List<com.datastax.oss.driver.api.core.cql.Row> rows) {
    Map<String, Optional<Integer>> accountDays = new HashMap<>();
    Map<String, Map<String, Integer>> tenants = new HashMap<>();
    for (var row : rows) {
      String account = row.getString("account_id");
      String tenant = row.getString("tenant_id");
      int days = row.getInt("keep_days");
      accountDays.putIfAbsent(account, Optional.empty());
      if (ACCOUNT_ROW.equals(tenant)) {
        accountDays.put(account, Optional.of(days));
      } else {
        tenants.computeIfAbsent(account, a -> new HashMap<>()).put(tenant, days);
      }
    }
    Map<String, AccountPolicies> result = new HashMap<>();
    accountDays.forEach((account, days) -> result.put(account,
        new AccountPolicies(account, days, Map.copyOf(tenants.getOrDefault(account, Map.of())))));
    return result;
  }
}
