package io.entrabackup.cluster.tenant;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;

/**
 * How many tenants an account may register, exact across nodes (http-api/LIMITS.md). An account has {@code max}
 * numbered slots in {@code tenant_slots}; registering a tenant first takes a free one with a lightweight transaction
 * ({@code INSERT ... IF NOT EXISTS}), so of nodes racing for the last slot exactly one wins. Tenants registered before
 * slots existed hold none and count against the limit through the read model. A slot whose registration never
 * happened (the entity refused it, or never answered and the tenant never appeared in the read model within
 * {@code unusedSlotGrace}) is given back.
 */
public final class TenantQuota {

  /** What a reservation found. */
  public sealed interface Reservation {}

  /** The tenant holds slot {@code slot} of its account. */
  public record Reserved(int slot) implements Reservation {}

  /** Every slot is taken: the refusal names the limit. */
  public record Full(int max) implements Reservation {
    public String refusal() {
      return "This account has reached its limit of " + max + " tenants; no tenant was registered. Ask the operator"
          + " of this service to raise entra-backup.tenant.max-tenants-per-account.";
    }
  }

  /** Slots tried in one reservation before it reads the account's slots again (another node took them first). */
  private static final int ATTEMPTS = 8;

  private final CassandraSession session;
  private final Clock clock;
  private final int max;
  private final Duration unusedSlotGrace;
  private final PreparedStatementCache slots;
  private final PreparedStatementCache take;
  private final PreparedStatementCache giveBack;
  private final PreparedStatementCache registered;

  public TenantQuota(CassandraSession session, String keyspace, Clock clock, int max, Duration unusedSlotGrace) {
    this.session = session;
    this.clock = clock;
    this.max = max;
    this.unusedSlotGrace = unusedSlotGrace;
    String table = keyspace + ".tenant_slots";
    this.slots = prepare("SELECT slot, tenant_id, reserved_at FROM " + table + " WHERE account_id = ?");
    this.take = prepare("INSERT INTO " + table + " (account_id, slot, tenant_id, reserved_at) VALUES (?, ?, ?, ?)"
        + " IF NOT EXISTS");
    this.giveBack = prepare("DELETE FROM " + table + " WHERE account_id = ? AND slot = ? IF tenant_id = ?");
    this.registered = prepare("SELECT tenant_id FROM " + keyspace + ".tenants_by_account WHERE account_id = ?");
  }

  /** The node's quota on its own tables' session, from {@code entra-backup.tenant}. */
  public static TenantQuota create(ActorSystem<?> system, Clock clock) {
    CassandraSession session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    TenantSettings settings = TenantSettings.create(system);
    return new TenantQuota(session, CassandraSettings.create(system).keyspace(), clock,
        settings.maxTenantsPerAccount(), settings.unusedSlotGrace());
  }

  private PreparedStatementCache prepare(String cql) {
    return new PreparedStatementCache(session, cql);
  }

  /** Takes a slot for {@code tenant} (or finds the one it holds); {@link Full} when the account has none left. */
  public CompletionStage<Reservation> reserve(AccountId account, TenantId tenant) {
    return reserve(account, tenant, true);
  }

  private CompletionStage<Reservation> reserve(AccountId account, TenantId tenant, boolean mayReclaim) {
    return held(account).thenCompose(held -> registeredTenants(account).thenCompose(listed -> {
      Optional<Integer> own = held.entrySet().stream()
          .filter(slot -> slot.getValue().tenant().equals(tenant.value())).map(Map.Entry::getKey).findFirst();
      if (own.isPresent()) {
        return done(new Reserved(own.get()));
      }
      Set<String> holders = new HashSet<>();
      held.values().forEach(slot -> holders.add(slot.tenant()));
      long withoutSlot = listed.stream().filter(id -> !holders.contains(id)).count();
      List<Integer> free = new ArrayList<>();
      for (int slot = 0; slot < max - withoutSlot; slot++) {
        if (!held.containsKey(slot)) {
          free.add(slot);
        }
      }
      if (free.isEmpty()) {
        return mayReclaim
            ? reclaimUnused(account, held, listed).thenCompose(any -> any
                ? reserve(account, tenant, false)
                : done(new Full(max)))
            : done(new Full(max));
      }
      return takeFirst(account, tenant, free, 0);
    }));
  }

  /** Tries the free slots in order; past {@link #ATTEMPTS} lost races it reads the slots again. */
  private CompletionStage<Reservation> takeFirst(AccountId account, TenantId tenant, List<Integer> free, int tried) {
    if (tried >= free.size() || tried >= ATTEMPTS) {
      return reserve(account, tenant, false);
    }
    int slot = free.get(tried);
    return execute(take, account.value(), slot, tenant.value(), clock.instant().truncatedTo(ChronoUnit.MILLIS))
        .thenCompose(result -> result.wasApplied()
            ? done(new Reserved(slot))
            : takeFirst(account, tenant, free, tried + 1));
  }

  /** Gives a slot back after its registration was refused; only ever removes this tenant's own slot. */
  public CompletionStage<Done> release(AccountId account, TenantId tenant, Reserved reserved) {
    return execute(giveBack, account.value(), reserved.slot(), tenant.value()).thenApply(result -> Done.getInstance());
  }

  /** Slots held longer than the grace by tenants the read model does not know: their registration never happened. */
  private CompletionStage<Boolean> reclaimUnused(AccountId account, Map<Integer, HeldSlot> held, Set<String> listed) {
    Instant before = clock.instant().minus(unusedSlotGrace);
    List<CompletableFuture<Boolean>> released = held.entrySet().stream()
        .filter(slot -> !listed.contains(slot.getValue().tenant()) && slot.getValue().reservedAt().isBefore(before))
        .map(slot -> execute(giveBack, account.value(), slot.getKey(), slot.getValue().tenant())
            .thenApply(AsyncResultSet::wasApplied).toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(released.toArray(CompletableFuture[]::new))
        .thenApply(all -> released.stream().anyMatch(CompletableFuture::join));
  }

  private record HeldSlot(String tenant, Instant reservedAt) {}

  private CompletionStage<Map<Integer, HeldSlot>> held(AccountId account) {
    return slots.get().thenCompose(s -> session.selectAll(s.bind(account.value()))).thenApply(rows -> {
      Map<Integer, HeldSlot> held = new HashMap<>();
      for (Row row : rows) {
        Instant at = row.getInstant("reserved_at");
        held.put(row.getInt("slot"), new HeldSlot(row.getString("tenant_id"), at == null ? Instant.EPOCH : at));
      }
      return held;
    });
  }

  private CompletionStage<Set<String>> registeredTenants(AccountId account) {
    return registered.get().thenCompose(s -> session.selectAll(s.bind(account.value())))
        .thenApply(rows -> {
          Set<String> ids = new HashSet<>();
          rows.forEach(row -> ids.add(row.getString("tenant_id")));
          return ids;
        });
  }

  private CompletionStage<AsyncResultSet> execute(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared ->
        session.underlying().thenCompose(cql -> cql.executeAsync(prepared.bind(values))));
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
