package io.entrabackup.cluster.account;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.AccountView;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.CreatedAccount;
import io.entrabackup.protocol.account.NewApiKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSP accounts and their API keys in Cassandra. Keys are stored as hashes only; a verified key is
 * trusted from cache for a short while ({@link ApiKeyCache}), so a revocation reaches other nodes
 * within that time.
 */
public final class AccountStore {

  private static final Logger log = LoggerFactory.getLogger(AccountStore.class);
  static final String BOOTSTRAP_KEY_ID = "bootstrap";

  private final CassandraSession session;
  private final Clock clock;
  private final ApiKeyCache cache;
  private final PreparedStatementCache insertAccount;
  private final PreparedStatementCache selectAccount;
  private final PreparedStatementCache insertKey;
  private final PreparedStatementCache insertKeyByAccount;
  private final PreparedStatementCache selectKey;
  private final PreparedStatementCache selectKeysOfAccount;
  private final PreparedStatementCache selectKeyOfAccount;
  private final PreparedStatementCache revokeKey;
  private final PreparedStatementCache revokeKeyByAccount;

  public AccountStore(CassandraSession session, String keyspace, Clock clock, AuthSettings settings) {
    this.session = session;
    this.clock = clock;
    this.cache = new ApiKeyCache(settings.keyCacheTtl(), clock);
    this.insertAccount = prepare("INSERT INTO " + keyspace
        + ".accounts (account_id, display_name, created_at) VALUES (?, ?, ?) IF NOT EXISTS");
    this.selectAccount = prepare("SELECT account_id, display_name, created_at FROM " + keyspace
        + ".accounts WHERE account_id = ?");
    this.insertKey = prepare("INSERT INTO " + keyspace
        + ".api_keys (key_hash, account_id, key_id, admin, revoked_at) VALUES (?, ?, ?, ?, null)");
    this.insertKeyByAccount = prepare("INSERT INTO " + keyspace + ".api_keys_by_account"
        + " (account_id, key_id, key_hash, name, admin, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, null)");
    this.selectKey = prepare("SELECT account_id, key_id, admin, revoked_at FROM " + keyspace
        + ".api_keys WHERE key_hash = ?");
    this.selectKeysOfAccount = prepare("SELECT key_id, name, admin, created_at, revoked_at FROM " + keyspace
        + ".api_keys_by_account WHERE account_id = ?");
    this.selectKeyOfAccount = prepare("SELECT key_hash FROM " + keyspace
        + ".api_keys_by_account WHERE account_id = ? AND key_id = ?");
    this.revokeKey = prepare("UPDATE " + keyspace + ".api_keys SET revoked_at = ? WHERE key_hash = ?");
    this.revokeKeyByAccount = prepare("UPDATE " + keyspace
        + ".api_keys_by_account SET revoked_at = ? WHERE account_id = ? AND key_id = ?");
  }

  private PreparedStatementCache prepare(String cql) {
    return new PreparedStatementCache(session, cql);
  }

  /** Creates the account and its first key; empty when the id is taken. */
  public CompletionStage<Optional<CreatedAccount>> createAccount(AccountId account, String displayName) {
    Instant now = now();
    return execute(insertAccount, account.value(), displayName, now).thenCompose(result -> {
      if (!result.wasApplied()) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      log.info("Account {} created", account);
      var view = new AccountView(account.value(), displayName, now);
      return storeKey(account, "first key", ApiKeyFormat.generate(), false)
          .thenApply(key -> Optional.of(new CreatedAccount(view, key)));
    });
  }

  public CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name) {
    return accountExists(account).thenCompose(exists -> exists
        ? storeKey(account, name, ApiKeyFormat.generate(), false).thenApply(Optional::of)
        : CompletableFuture.completedFuture(Optional.empty()));
  }

  /**
   * Makes sure the install's bootstrap account exists and {@code key} is its administrator key. Run at
   * every start, so changing the configured key replaces the old one.
   */
  public CompletionStage<Void> ensureBootstrap(AccountId account, String displayName, String key) {
    String hash = ApiKeyFormat.hash(key);
    return execute(insertAccount, account.value(), displayName, now())
        .thenCompose(created -> execute(selectKeyOfAccount, account.value(), BOOTSTRAP_KEY_ID))
        .thenCompose(existing -> {
          Row row = existing.one();
          String previousHash = row == null ? null : row.getString("key_hash");
          if (hash.equals(previousHash)) {
            return CompletableFuture.completedFuture(null);
          }
          CompletionStage<?> retired = previousHash == null
              ? CompletableFuture.completedFuture(null)
              : execute(revokeKey, now(), previousHash);
          return retired.thenCompose(done ->
              storeKey(account, "bootstrap administrator key", new ApiKeyFormat.GeneratedKey(BOOTSTRAP_KEY_ID, key, hash),
                  true))
              .thenAccept(stored -> log.info("Bootstrap administrator key of account {} registered", account));
        });
  }

  private CompletionStage<NewApiKey> storeKey(
      AccountId account, String name, ApiKeyFormat.GeneratedKey key, boolean admin) {
    Instant now = now();
    return insertKey.get().thenCompose(byHash -> insertKeyByAccount.get().thenCompose(byAccount -> {
      // Both rows or neither: a key listed but unusable (or usable but unlisted) would confuse ops.
      Statement<?> batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
          byHash.bind(key.hash(), account.value(), key.keyId(), admin),
          byAccount.bind(account.value(), key.keyId(), key.hash(), name, admin, now));
      return session.underlying().thenCompose(cql -> cql.executeAsync(batch));
    })).thenApply(done -> new NewApiKey(account.value(), key.keyId(), name, key.key(), now));
  }

  public CompletionStage<Optional<List<ApiKeyView>>> listKeys(AccountId account) {
    return accountExists(account).thenCompose(exists -> {
      if (!exists) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      return selectKeysOfAccount.get()
          .thenCompose(statement -> session.selectAll(statement.bind(account.value())))
          .thenApply(rows -> Optional.of(rows.stream().map(AccountStore::keyView).toList()));
    });
  }

  /** Revokes the key; false when the account has no such key. Revoking twice is harmless. */
  public CompletionStage<Boolean> revokeKey(AccountId account, String keyId) {
    return execute(selectKeyOfAccount, account.value(), keyId).thenCompose(result -> {
      Row row = result.one();
      if (row == null) {
        return CompletableFuture.completedFuture(false);
      }
      String hash = row.getString("key_hash");
      Instant now = now();
      cache.forget(hash);
      return execute(revokeKey, now, hash)
          .thenCompose(done -> execute(revokeKeyByAccount, now, account.value(), keyId))
          .thenApply(done -> {
            log.info("API key {} of account {} revoked", keyId, account);
            return true;
          });
    });
  }

  /** Whose key this is, if it is a live one. */
  public CompletionStage<Optional<Caller>> verify(String key) {
    String hash = ApiKeyFormat.hash(key);
    Optional<Caller> cached = cache.get(hash);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(cached);
    }
    return execute(selectKey, hash).thenApply(result -> {
      Row row = result.one();
      if (row == null || row.getInstant("revoked_at") != null) {
        return Optional.empty();
      }
      var caller = new Caller(new AccountId(row.getString("account_id")), row.getString("key_id"), row.getBoolean("admin"));
      cache.put(hash, caller);
      return Optional.of(caller);
    });
  }

  private CompletionStage<Boolean> accountExists(AccountId account) {
    return execute(selectAccount, account.value()).thenApply(result -> result.one() != null);
  }

  private CompletionStage<AsyncResultSet> execute(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared ->
        session.underlying().thenCompose(cql -> cql.executeAsync(prepared.bind(values))));
  }

  private static ApiKeyView keyView(Row row) {
    return new ApiKeyView(row.getString("key_id"), row.getString("name"), row.getBoolean("admin"),
        row.getInstant("created_at"), Optional.ofNullable(row.getInstant("revoked_at")));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
