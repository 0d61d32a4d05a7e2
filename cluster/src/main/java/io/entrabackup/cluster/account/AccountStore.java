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
import io.entrabackup.protocol.account.Scope;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSP accounts and their API keys in Cassandra. Keys are stored as hashes only, with the scopes they carry; a verified
 * key is trusted from cache for a short while ({@link ApiKeyCache}), so a revocation reaches other nodes within that
 * time (on the revoking node at once).
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
        + ".api_keys (key_hash, account_id, key_id, admin, scopes, revoked_at) VALUES (?, ?, ?, ?, ?, null)");
    this.insertKeyByAccount = prepare("INSERT INTO " + keyspace + ".api_keys_by_account"
        + " (account_id, key_id, key_hash, name, admin, scopes, created_at, issued_by, revoked_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, null)");
    this.selectKey = prepare("SELECT account_id, key_id, admin, scopes, revoked_at FROM " + keyspace
        + ".api_keys WHERE key_hash = ?");
    this.selectKeysOfAccount = prepare("SELECT key_id, key_hash, name, admin, scopes, created_at, revoked_at FROM "
        + keyspace + ".api_keys_by_account WHERE account_id = ?");
    this.selectKeyOfAccount = prepare("SELECT key_id, key_hash, name, admin, scopes, created_at, issued_by, revoked_at"
        + " FROM " + keyspace + ".api_keys_by_account WHERE account_id = ? AND key_id = ?");
    this.revokeKey = prepare("UPDATE " + keyspace + ".api_keys SET revoked_at = ? WHERE key_hash = ?");
    this.revokeKeyByAccount = prepare("UPDATE " + keyspace
        + ".api_keys_by_account SET revoked_at = ? WHERE account_id = ? AND key_id = ?");
  }

  private PreparedStatementCache prepare(String cql) {
    return new PreparedStatementCache(session, cql);
  }

  /** Creates the account and its first key, which has every scope (it is how the account sets itself up). */
  public CompletionStage<Optional<CreatedAccount>> createAccount(AccountId account, String displayName) {
    Instant now = now();
    return execute(insertAccount, account.value(), displayName, now).thenCompose(result -> {
      if (!result.wasApplied()) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      log.info("Account {} created", account);
      var view = new AccountView(account.value(), displayName, now);
      return storeKey(account, "first key", ApiKeyFormat.generate(), Scope.ALL, false, now, List.of())
          .thenApply(key -> Optional.of(new CreatedAccount(view, key)));
    });
  }

  /** A new key of the account with these scopes; empty when there is no such account. */
  public CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name, Set<Scope> scopes) {
    return createKey(account, name, scopes, Optional.empty());
  }

  /**
   * A new key of the account with these scopes, made by {@code issuer} (who is handed its secret, so four eyes count
   * the two as one: {@link KeyProvenance}); empty when there is no such account.
   */
  public CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name, Set<Scope> scopes,
      Optional<Caller> issuer) {
    return accountExists(account).thenCompose(exists -> exists
        ? issuedBy(issuer).thenCompose(lineage ->
            storeKey(account, name, ApiKeyFormat.generate(), scopes, false, now(), lineage)).thenApply(Optional::of)
        : CompletableFuture.completedFuture(Optional.empty()));
  }

  /** The keys that could know a secret {@code issuer} is handed: those that could know its own, then itself. */
  private CompletionStage<List<String>> issuedBy(Optional<Caller> issuer) {
    if (issuer.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    Caller caller = issuer.get();
    return provenance(caller.account(), caller.keyId()).thenApply(found -> {
      List<String> lineage = new java.util.ArrayList<>(found.map(KeyProvenance::issuedBy).orElse(List.of()));
      lineage.remove(caller.keyId());
      lineage.add(caller.keyId());
      return List.copyOf(lineage);
    });
  }

  /** When a key's current secret was issued and which keys could know it; empty when the account has no such key. */
  public CompletionStage<Optional<KeyProvenance>> provenance(AccountId account, String keyId) {
    return execute(selectKeyOfAccount, account.value(), keyId).thenApply(result -> Optional.ofNullable(result.one())
        .map(row -> new KeyProvenance(keyId, row.getInstant("created_at"), issuedBy(row))));
  }

  private static List<String> issuedBy(Row row) {
    List<String> stored = row.getList("issued_by", String.class);
    return stored == null ? List.of() : List.copyOf(stored);
  }

  private CompletionStage<NewApiKey> storeKey(AccountId account, String name, ApiKeyFormat.GeneratedKey key,
      Set<Scope> scopes, boolean installAdmin, Instant issuedAt, List<String> issuedBy) {
    Set<String> stored = Scope.apiNames(scopes);
    return insertKey.get().thenCompose(byHash -> insertKeyByAccount.get().thenCompose(byAccount -> {
      // Both rows or neither: a key listed but unusable (or usable but unlisted) would confuse ops.
      Statement<?> batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
          byHash.bind(key.hash(), account.value(), key.keyId(), installAdmin, stored),
          byAccount.bind(account.value(), key.keyId(), key.hash(), name, installAdmin, stored, issuedAt, issuedBy));
      return session.underlying().thenCompose(cql -> cql.executeAsync(batch));
    })).thenApply(done -> new NewApiKey(account.value(), key.keyId(), name, scopes, key.key(), issuedAt));
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

  /** One key of the account, revoked or not. */
  public CompletionStage<Optional<ApiKeyView>> key(AccountId account, String keyId) {
    return execute(selectKeyOfAccount, account.value(), keyId)
        .thenApply(result -> Optional.ofNullable(result.one()).map(AccountStore::keyView));
  }

  /** Revokes the key; false when the account has no such key. Revoking twice is harmless. */
  public CompletionStage<Boolean> revokeKey(AccountId account, String keyId) {
    return execute(selectKeyOfAccount, account.value(), keyId).thenCompose(result -> {
      Row row = result.one();
      if (row == null) {
        return CompletableFuture.completedFuture(false);
      }
      return revoke(account, keyId, row.getString("key_hash"))
          .thenApply(done -> {
            log.info("API key {} of account {} revoked", keyId, account);
            return true;
          });
    });
  }

  /**
   * Gives a live key a new secret, keeping its id, name and scopes; the old secret stops working (here at once,
   * elsewhere within the cache time). Empty when the account has no such live key.
   */
  public CompletionStage<Optional<NewApiKey>> rotateKey(AccountId account, String keyId) {
    return rotateKey(account, keyId, Optional.empty());
  }

  /**
   * As {@link #rotateKey(AccountId, String)}, by {@code rotator}. A key rotated by another key is issued anew by it
   * (from now, and known to the rotator, who is handed the secret); a key rotating itself keeps its provenance.
   */
  public CompletionStage<Optional<NewApiKey>> rotateKey(AccountId account, String keyId, Optional<Caller> rotator) {
    boolean itself = rotator.map(caller -> caller.account().equals(account) && caller.keyId().equals(keyId))
        .orElse(false);
    return execute(selectKeyOfAccount, account.value(), keyId).thenCompose(result -> {
      Row row = result.one();
      if (row == null || row.getInstant("revoked_at") != null) {
        return CompletableFuture.completedFuture(Optional.<NewApiKey>empty());
      }
      ApiKeyView old = keyView(row);
      String oldHash = row.getString("key_hash");
      cache.revoke(oldHash);
      CompletionStage<List<String>> lineage = itself
          ? CompletableFuture.completedFuture(issuedBy(row))
          : issuedBy(rotator);
      Instant issuedAt = itself ? row.getInstant("created_at") : now();
      return lineage.thenCompose(issuedBy -> storeKey(account, old.name(), ApiKeyFormat.generate(keyId),
              old.scopes(), old.installAdmin(), issuedAt, issuedBy))
          .thenCompose(key -> execute(revokeKey, now(), oldHash).thenApply(done -> {
            cache.revoke(oldHash);
            log.info("API key {} of account {} rotated: its previous secret is revoked", keyId, account);
            return Optional.of(key);
          }));
    });
  }

  /**
   * Makes sure the install's bootstrap account exists and {@code key} is its administrator key. Run at every start,
   * so changing the configured key replaces the old one, and an emptied setting ({@code key} empty) revokes it. A key
   * revoked through the API stays revoked: a leaked key must not come back with a restart.
   */
  public CompletionStage<Void> ensureBootstrap(AccountId account, String displayName, Optional<String> key) {
    if (key.isEmpty()) {
      return retireBootstrap(account);
    }
    String hash = ApiKeyFormat.hash(key.get());
    return execute(insertAccount, account.value(), displayName, now())
        .thenCompose(created -> execute(selectKeyOfAccount, account.value(), BOOTSTRAP_KEY_ID))
        .thenCompose(existing -> {
          Row row = existing.one();
          String previousHash = row == null ? null : row.getString("key_hash");
          if (hash.equals(previousHash)) {
            if (row.getInstant("revoked_at") != null) {
              log.warn("The configured bootstrap administrator key of account {} was revoked through the API and"
                  + " stays revoked: set a new entra-backup.auth.bootstrap-key", account);
            }
            return CompletableFuture.completedFuture(null);
          }
          CompletionStage<?> retired = previousHash == null
              ? CompletableFuture.completedFuture(null)
              : revoke(account, BOOTSTRAP_KEY_ID, previousHash);
          return retired.thenCompose(done -> storeKey(account, "bootstrap administrator key",
                  new ApiKeyFormat.GeneratedKey(BOOTSTRAP_KEY_ID, key.get(), hash), Scope.ALL, true, now(),
                  List.of()))
              .thenAccept(stored -> log.info("Bootstrap administrator key of account {} registered{}", account,
                  previousHash == null ? "" : "; the previous one is revoked"));
        });
  }

  /** With no bootstrap key configured, none stays valid: the one configured before is revoked. */
  private CompletionStage<Void> retireBootstrap(AccountId account) {
    return execute(selectKeyOfAccount, account.value(), BOOTSTRAP_KEY_ID).thenCompose(existing -> {
      Row row = existing.one();
      if (row == null || row.getInstant("revoked_at") != null) {
        return CompletableFuture.completedFuture(null);
      }
      return revoke(account, BOOTSTRAP_KEY_ID, row.getString("key_hash")).thenAccept(done ->
          log.info("Bootstrap administrator key of account {} revoked: entra-backup.auth.bootstrap-key is empty",
              account));
    });
  }

  /** Both rows say revoked; this node's cache forgets the key before and after, so no read in flight revives it. */
  private CompletionStage<Void> revoke(AccountId account, String keyId, String hash) {
    Instant now = now();
    cache.revoke(hash);
    return execute(revokeKey, now, hash)
        .thenCompose(done -> execute(revokeKeyByAccount, now, account.value(), keyId))
        .thenAccept(done -> cache.revoke(hash));
  }

  /** Whose key this is and what it may do, if it is a live one. */
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
      var caller = new Caller(new AccountId(row.getString("account_id")), row.getString("key_id"), scopes(row),
          row.getBoolean("admin"));
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
    return new ApiKeyView(row.getString("key_id"), row.getString("name"), scopes(row), row.getBoolean("admin"),
        row.getInstant("created_at"), Optional.ofNullable(row.getInstant("revoked_at")));
  }

  /**
   * A key's stored scopes. A row without any was written before scopes existed, when every key could do everything:
   * it keeps every scope, so an upgrade takes nothing away (keys made since always carry at least one).
   */
  static Set<Scope> scopes(Row row) {
    Set<String> names = row.getSet("scopes", String.class);
    if (names == null || names.isEmpty()) {
      return Scope.ALL;
    }
    // A name this version does not know (written by a newer one) grants nothing here.
    return Scope.ordered(names.stream().flatMap(AccountStore::known).toList());
  }

  private static java.util.stream.Stream<Scope> known(String name) {
    try {
      return java.util.stream.Stream.of(Scope.fromApiName(name));
    } catch (IllegalArgumentException e) {
      return java.util.stream.Stream.empty();
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
