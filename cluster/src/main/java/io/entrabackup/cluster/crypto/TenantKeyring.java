package io.entrabackup.cluster.crypto;

import io.entrabackup.cluster.store.CassandraSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Tenants' data keys (envelope encryption, {@code cluster/ENCRYPTION.md}): each tenant's keys are read and unwrapped
 * once and kept in memory for {@code key-cache-ttl}; the first use makes version 1 with a lightweight transaction, so
 * two nodes never make two keys of one version. Nothing here blocks: every call answers a stage.
 */
public final class TenantKeyring implements Extension {

  private static final ExtensionId<TenantKeyring> ID = new ExtensionId<>() {
    @Override
    public TenantKeyring createExtension(ActorSystem<?> system) {
      var session = CassandraSessionRegistry.get(system)
          .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
      var table = new DataKeyTable(session::underlying, CassandraSettings.create(system).keyspace());
      return new TenantKeyring(table, EncryptionSettings.create(system.settings().config()), Clock.systemUTC());
    }
  };

  private record Cached(CompletableFuture<TenantCipher> cipher, Instant loadedAt) {}

  /** What {@link #rewrapAll} did. */
  public record RewrapReport(int keys, int rewrapped, int alreadyCurrent, int destroyed) {}

  private final DataKeyTable table;
  private final EncryptionSettings settings;
  /** Empty when encryption is off and no master key is configured: everything is stored as plaintext then. */
  private final Optional<MasterKeys> masterKeys;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public TenantKeyring(DataKeyTable table, EncryptionSettings settings, Clock clock) {
    this(table, settings, masterKeysOf(settings), clock);
  }

  public TenantKeyring(DataKeyTable table, EncryptionSettings settings, Optional<MasterKeys> masterKeys, Clock clock) {
    this.table = table;
    this.settings = settings;
    this.masterKeys = masterKeys;
    this.clock = clock;
  }

  /** The node's keyring (one cache per node), on its own tables' session. */
  public static TenantKeyring get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private static Optional<MasterKeys> masterKeysOf(EncryptionSettings settings) {
    ConfiguredMasterKeys keys = settings.masterKeys();
    return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
  }

  /** Whether new values are encrypted ({@code entra-backup.encryption.enabled}). */
  public boolean encrypting() {
    return settings.enabled();
  }

  /**
   * The tenant's cipher, from memory when loaded within {@code key-cache-ttl}; its first use makes its data key. Fails
   * with {@link TenantKeyDestroyed} once the tenant was offboarded.
   */
  public CompletionStage<TenantCipher> cipherFor(String tenantId) {
    Instant now = clock.instant();
    Cached[] made = new Cached[1];
    Cached entry = cache.compute(tenantId, (id, old) -> {
      if (old != null && !old.cipher().isCompletedExceptionally()
          && old.loadedAt().plus(settings.keyCacheTtl()).isAfter(now)) {
        return old;
      }
      made[0] = new Cached(new CompletableFuture<>(), now);
      return made[0];
    });
    if (entry == made[0]) {
      load(tenantId).whenComplete((cipher, error) -> {
        if (error != null) {
          cache.remove(tenantId, entry); // the next call tries again (Cassandra may be back)
          entry.cipher().completeExceptionally(error);
        } else {
          entry.cipher().complete(cipher);
        }
      });
    }
    return entry.cipher().minimalCompletionStage();
  }

  /** The tenant's cipher if it is in memory now (for synchronous callers that loaded it before). */
  public Optional<TenantCipher> cachedCipher(String tenantId) {
    Cached entry = cache.get(tenantId);
    if (entry == null || !entry.cipher().isDone() || entry.cipher().isCompletedExceptionally()) {
      return Optional.empty();
    }
    return Optional.of(entry.cipher().join());
  }

  /**
   * Crypto-shredding for offboarding: marks the tenant's keys destroyed, deletes their wrapped material and forgets
   * them here. Other nodes forget them within {@code key-cache-ttl}. Irreversible.
   */
  public CompletionStage<Done> destroy(String tenantId) {
    return table.destroy(tenantId, clock.instant()).thenApply(done -> {
      cache.remove(tenantId);
      return Done.getInstance();
    });
  }

  /**
   * Re-wraps every data key not wrapped under the current master key with it (after a new master key was made current),
   * one key at a time, online: readers unwrap either wrapping meanwhile.
   */
  public CompletionStage<RewrapReport> rewrapAll() {
    MasterKeys keys = masterKeys.orElseThrow(() -> new MasterKeyUnavailable("no master key is configured"));
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger rewrapped = new AtomicInteger();
    AtomicInteger current = new AtomicInteger();
    AtomicInteger destroyed = new AtomicInteger();
    return table.forEachKey(key -> {
      seen.incrementAndGet();
      if (key.wrapped() == null) {
        destroyed.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }
      if (key.wrapped().masterKeyId().equals(keys.currentId())) {
        current.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }
      return keys.unwrap(key.wrapped(), key.tenantId(), key.version())
          .thenCompose(plain -> keys.wrap(key.tenantId(), key.version(), plain))
          .thenCompose(wrapped -> table.rewrap(key, wrapped, clock.instant()))
          .thenApply(applied -> {
            (applied ? rewrapped : destroyed).incrementAndGet();
            return null;
          });
    }).thenApply(done -> new RewrapReport(seen.get(), rewrapped.get(), current.get(), destroyed.get()));
  }

  private CompletionStage<TenantCipher> load(String tenantId) {
    if (masterKeys.isEmpty()) {
      return CompletableFuture.completedFuture(TenantCipher.unkeyed(tenantId));
    }
    return table.read(tenantId).thenCompose(stored -> {
      if (stored.destroyed()) {
        throw new TenantKeyDestroyed(tenantId);
      }
      return stored.keys().isEmpty() ? createFirst(tenantId) : unwrapAll(tenantId, stored.keys());
    });
  }

  /** Version 1, made once: of two nodes inserting at once one wins, and the other reads the winner's key. */
  private CompletionStage<TenantCipher> createFirst(String tenantId) {
    MasterKeys keys = masterKeys.orElseThrow();
    byte[] dataKey = Gcm.randomBytes(Gcm.KEY_BYTES);
    return keys.wrap(tenantId, 1, dataKey)
        .thenCompose(wrapped -> table.insertIfAbsent(tenantId, 1, wrapped, clock.instant()))
        .thenCompose(stored -> stored
            ? CompletableFuture.completedFuture(TenantCipher.of(tenantId, Map.of(1, dataKey), settings.enabled()))
            : load(tenantId));
  }

  private CompletionStage<TenantCipher> unwrapAll(String tenantId, List<DataKeyTable.StoredKey> stored) {
    MasterKeys keys = masterKeys.orElseThrow();
    Map<Integer, byte[]> plain = new ConcurrentHashMap<>();
    CompletableFuture<?>[] unwrapped = stored.stream()
        .map(key -> {
          if (key.wrapped() == null) {
            return CompletableFuture.failedFuture(new TenantKeyDestroyed(tenantId));
          }
          return keys.unwrap(key.wrapped(), tenantId, key.version())
              .thenAccept(bytes -> plain.put(key.version(), bytes)).toCompletableFuture();
        })
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(unwrapped)
        .thenApply(all -> TenantCipher.of(tenantId, new HashMap<>(plain), settings.enabled()));
  }
}
