package io.entrabackup.cluster.tenant;

import java.util.concurrent.CompletableFuture;
import io.entrabackup.protocol.tenant.TenantRegistration;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * tenant. The same tenant claiming its own directory again (re-consent) succeeds. A directory several tenants were
 * authorized for before bindings existed is held by none of them but disputed ({@link #dispute}): only one of those
 * tenants may then claim it, at its next consent through the sign-in (DirectoryBindingBackfill, cluster/CONSENT.md).
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

  /**
   * The row of a directory: its holder, or (while disputed) none and the disputing tenants; {@code since} is when it
   * was bound or disputed.
   */
  public record Binding(Optional<TenantId> holder, Set<TenantId> disputedBy, Instant since) {
    public boolean disputed() {
      return holder.isEmpty() && !disputedBy.isEmpty();
    }
  }

  private static final Logger log = LoggerFactory.getLogger(DirectoryBindings.class);

  private final CassandraSession session;
  private final Clock clock;
  private final PreparedStatementCache insert;
  private final PreparedStatementCache select;
  private final PreparedStatementCache release;
  private final PreparedStatementCache insertDispute;
  private final PreparedStatementCache takeDisputed;

  public DirectoryBindings(CassandraSession session, String keyspace, Clock clock) {
    this.session = session;
    this.clock = clock;
    String table = keyspace + ".directory_bindings";
    this.insert = new PreparedStatementCache(session, "INSERT INTO " + table
        + " (entra_tenant_id, tenant_id, account_id, bound_at) VALUES (?, ?, ?, ?) IF NOT EXISTS");
    this.select = new PreparedStatementCache(session,
        "SELECT tenant_id, account_id, disputed_by, bound_at FROM " + table + " WHERE entra_tenant_id = ?");
    this.insertDispute = new PreparedStatementCache(session, "INSERT INTO " + table
        + " (entra_tenant_id, disputed_by, bound_at) VALUES (?, ?, ?) IF NOT EXISTS");
    // Only while nobody holds it: of two disputing tenants consenting at once, one takes it.
    this.takeDisputed = new PreparedStatementCache(session, "UPDATE " + table
        + " SET tenant_id = ?, account_id = ?, bound_at = ?, disputed_by = null WHERE entra_tenant_id = ?"
        + " IF tenant_id = null");
    this.release = new PreparedStatementCache(session,
        "DELETE FROM " + table + " WHERE entra_tenant_id = ? IF tenant_id = ?");
  }

  /** Binds the directory to the tenant unless it is bound already; answers whose it is. */
  public CompletionStage<Claim> claim(String entraTenantId, TenantId tenantId, AccountId account) {
    return execute(insert, key(entraTenantId), tenantId.value(), account.value(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS))
        .thenCompose(result -> {
          // A lightweight transaction that did not apply answers the existing row (ask before reading it).
          if (result.wasApplied()) {
            return CompletableFuture.completedFuture(new Bound(true));
          }
          Row existing = result.one();
          return disputants(existing).contains(tenantId.value())
              ? takeDisputed(entraTenantId, tenantId, account)
              : CompletableFuture.completedFuture(judge(existing, tenantId, account));
        });
  }

  /** A disputing tenant consented through the sign-in: it takes the directory, unless another disputant just did. */
  private CompletionStage<Claim> takeDisputed(String entraTenantId, TenantId tenantId, AccountId account) {
    return execute(takeDisputed, tenantId.value(), account.value(), clock.instant().truncatedTo(ChronoUnit.MILLIS),
        key(entraTenantId))
        .thenCompose(result -> {
          if (!result.wasApplied()) {
            // Another disputant took it first (the answer names only the condition's column: read the row).
            return lookup(entraTenantId, tenantId, account).thenApply(found -> found.orElseGet(BoundToOtherAccount::new));
          }
          log.info("Disputed Microsoft directory {} is now held by tenant {}, whose administrator consented again",
              key(entraTenantId), tenantId);
          return CompletableFuture.completedFuture(new Bound(true));
        });
  }

  /**
   * Records that nobody holds the directory because all of {@code tenants} claim it, unless it has a row already;
   * answers the row as it stands afterwards.
   */
  public CompletionStage<Binding> dispute(String entraTenantId, Set<TenantId> tenants, Instant at) {
    Set<String> ids = tenants.stream().map(TenantId::value).collect(Collectors.toSet());
    Instant since = at.truncatedTo(ChronoUnit.MILLIS);
    return execute(insertDispute, key(entraTenantId), ids, since).thenApply(result -> result.wasApplied()
        ? new Binding(Optional.empty(), Set.copyOf(tenants), since)
        : binding(result.one()));
  }

  /** The directory's row, if it has one. */
  public CompletionStage<Optional<Binding>> find(String entraTenantId) {
    return execute(select, key(entraTenantId)).thenApply(result -> Optional.ofNullable(result.one())
        .map(DirectoryBindings::binding));
  }

  private static Binding binding(Row row) {
    return new Binding(Optional.ofNullable(row.getString("tenant_id")).map(TenantId::parse),
        disputants(row).stream().map(TenantId::parse).collect(Collectors.toUnmodifiableSet()),
        row.getInstant("bound_at"));
  }

  private static Set<String> disputants(Row row) {
    return row.getColumnDefinitions().contains("disputed_by") ? row.getSet("disputed_by", String.class) : Set.of();
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
    if (holder == null) {
      // Disputed, and this tenant is none of the disputants: it says nothing about them (they may be anyone's).
      return new BoundToOtherAccount();
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
