package io.entrabackup.cluster.tenant;

import java.util.concurrent.CompletableFuture;
import io.entrabackup.protocol.tenant.TenantRegistration;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The install-wide index {@code directory_bindings}: a Microsoft directory (Entra tenant id) belongs to one tenant
 * record of one account. A binding is claimed with a lightweight transaction ({@code INSERT ... IF NOT EXISTS}), so
 * of any number of nodes racing for one directory exactly one wins, and a bound directory never moves to another
 * tenant. The same tenant claiming its own directory again (re-consent) succeeds.
 */
public final class DirectoryBindings {

  /** What a claim found. */
  public sealed interface Claim {
    /** Why this tenant may not have the directory, for the operator; empty when it may. */
    Optional<String> refusal();
  }

  /** The directory is this tenant's; {@code fresh} when this claim wrote the binding. */
  public record Bound(boolean fresh) implements Claim {
    @Override
    public Optional<String> refusal() {
      return Optional.empty();
    }
  }

  /** The directory is bound to another tenant of the same account. */
  public record BoundToOwnTenant(TenantId existing) implements Claim {
    @Override
    public Optional<String> refusal() {
      return Optional.of("This Microsoft directory is already protected by tenant " + existing
          + " of your account; use that tenant. Nothing was changed.");
    }
  }

  /** The directory is bound to a tenant of another account; deliberately says nothing about it. */
  public record BoundToOtherAccount() implements Claim {
    /** For the other account's eyes: names no account, tenant or organization. */
    @Override
    public Optional<String> refusal() {
      return Optional.of("This Microsoft directory is already protected by another account of this service; it"
          + " cannot be added here. Nothing was changed.");
    }
  }

  private final CassandraSession session;
  private final Clock clock;
  private final PreparedStatementCache insert;
  private final PreparedStatementCache select;
  private final PreparedStatementCache release;

  public DirectoryBindings(CassandraSession session, String keyspace, Clock clock) {
    this.session = session;
    this.clock = clock;
    String table = keyspace + ".directory_bindings";
    this.insert = new PreparedStatementCache(session, "INSERT INTO " + table
        + " (entra_tenant_id, tenant_id, account_id, bound_at) VALUES (?, ?, ?, ?) IF NOT EXISTS");
    this.select = new PreparedStatementCache(session,
        "SELECT tenant_id, account_id FROM " + table + " WHERE entra_tenant_id = ?");
    this.release = new PreparedStatementCache(session,
        "DELETE FROM " + table + " WHERE entra_tenant_id = ? IF tenant_id = ?");
  }

  /** Binds the directory to the tenant unless it is bound already; answers whose it is. */
  public CompletionStage<Claim> claim(String entraTenantId, TenantId tenantId, AccountId account) {
    return execute(insert, key(entraTenantId), tenantId.value(), account.value(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS))
        .thenApply(result -> {
          // A lightweight transaction that did not apply answers the existing row (ask before reading it).
          return result.wasApplied() ? new Bound(true) : judge(result.one(), tenantId, account);
        });
  }

  /**
   * Registration's check that the directory it names by id is not protected by another tenant already; the binding
   * itself is claimed only at authorization, once Microsoft confirmed the consent (claiming it at registration would
   * let any account hold a directory it never proved it may back up). A domain cannot be checked before consent.
   */
  public CompletionStage<Optional<String>> registrationRefusal(
      Optional<String> entraTenant, TenantId tenantId, AccountId account) {
    if (entraTenant.isEmpty() || !TenantRegistration.isDirectoryId(entraTenant.get())) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return lookup(entraTenant.get(), tenantId, account).thenApply(found -> found.flatMap(Claim::refusal));
  }

  /** Whose the directory is, without claiming it: empty when no tenant holds it. */
  public CompletionStage<Optional<Claim>> lookup(String entraTenantId, TenantId tenantId, AccountId account) {
    return execute(select, key(entraTenantId)).thenApply(result -> {
      Row row = result.one();
      return row == null ? Optional.empty() : Optional.of(judge(row, tenantId, account));
    });
  }

  /**
   * Undoes a fresh claim whose authorization then failed, so the directory is not held by a tenant that never became
   * authorized; only ever removes this tenant's own binding.
   */
  public CompletionStage<Done> release(String entraTenantId, TenantId tenantId) {
    return execute(release, key(entraTenantId), tenantId.value()).thenApply(result -> Done.getInstance());
  }

  private static Claim judge(Row row, TenantId tenantId, AccountId account) {
    String holder = row.getString("tenant_id");
    if (tenantId.value().equals(holder)) {
      return new Bound(false);
    }
    return account.value().equals(row.getString("account_id"))
        ? new BoundToOwnTenant(TenantId.parse(holder))
        : new BoundToOtherAccount();
  }

  /** GUIDs compare case-insensitively; the index keeps the lower-case form. */
  static String key(String entraTenantId) {
    return entraTenantId.strip().toLowerCase(Locale.ROOT);
  }

  private CompletionStage<AsyncResultSet> execute(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared ->
        session.underlying().thenCompose(cql -> cql.executeAsync(prepared.bind(values))));
  }
}
