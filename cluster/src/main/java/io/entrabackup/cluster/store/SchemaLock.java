package io.entrabackup.cluster.store;

import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema lock of a keyspace, held around one run of migrations: a lightweight-transaction row in
 * {@code schema_lock} with a TTL, renewed every third of it while the run lasts and deleted after it
 * ({@link SchemaVersions}). Another migrator waits, saying in the log who holds it and since when.
 *
 * <p>Why a lock on top of the one-process rule ({@code JoinAfterSchema}: only deploy/schema in production, only the
 * first seed node in development): the rule is configuration, and an operator can break it by running
 * {@code deploy/schema} twice at once, or beside a development node. Why a TTL: a migrator that dies must not block the
 * next one for good; with a TTL of 90 s its lock is gone at most 90 s later.
 */
final class SchemaLock {

  private static final Logger log = LoggerFactory.getLogger(SchemaLock.class);

  private static final Duration POLL = Duration.ofSeconds(2);
  private static final Duration REPEAT_LOG = Duration.ofSeconds(15);
  /** Longer than any migration run should take; after it, waiting is an error the operator must look at. */
  private static final Duration MAX_WAIT = Duration.ofMinutes(15);

  private final ActorSystem<?> system;
  private final CqlSession cql;
  private final String keyspace;
  private final String owner;
  private final Instant since = Instant.now();
  private Instant lastSaidAt = Instant.MIN;

  SchemaLock(ActorSystem<?> system, CqlSession cql, String keyspace, String owner) {
    this.system = system;
    this.cql = cql;
    this.keyspace = keyspace;
    this.owner = owner;
  }

  /** Runs {@code work} holding the lock; releases it however the work ends. */
  <T> CompletionStage<T> around(Supplier<CompletionStage<T>> work) {
    return acquire(Instant.now().plus(MAX_WAIT)).thenCompose(locked -> {
      Duration every = SchemaVersions.LOCK_TTL.dividedBy(3);
      Cancellable renewal = system.scheduler().scheduleAtFixedRate(every, every, this::renew,
          system.executionContext());
      CompletionStage<T> result;
      try {
        result = work.get();
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
      return result
          .handle((value, error) -> {
            renewal.cancel();
            return release().thenCompose(released -> error != null ? CompletableFuture.<T>failedFuture(error)
                : CompletableFuture.completedFuture(value));
          })
          .thenCompose(outcome -> outcome);
    });
  }

  /** Never fails: a lock not deleted expires by its TTL. */
  private CompletionStage<Void> release() {
    return SchemaVersions.unlock(cql, keyspace, owner).handle((unlocked, error) -> {
      if (error != null) {
        log.warn("Schema lock of keyspace {} not released ({}); it expires within {} s", keyspace,
            error.getMessage(), SchemaVersions.LOCK_TTL.toSeconds());
      }
      return null;
    });
  }

  /** Done, never null: {@link Patterns#after} does not complete a stage whose value is null. */
  private CompletionStage<Done> acquire(Instant deadline) {
    return SchemaVersions.tryLock(cql, keyspace, owner, since).thenCompose(holder -> {
      if (holder.isEmpty()) {
        log.info("Took the schema lock of keyspace {} as {}", keyspace, owner);
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      if (Instant.now().isAfter(deadline)) {
        return CompletableFuture.failedFuture(new IllegalStateException("the schema of keyspace " + keyspace
            + " is being migrated by " + holder.get() + " for longer than " + MAX_WAIT.toMinutes() + " minutes"));
      }
      Instant now = Instant.now();
      if (lastSaidAt.plus(REPEAT_LOG).isBefore(now)) {
        log.info("Waiting for the schema lock of keyspace {}, held by {}", keyspace, holder.get());
        lastSaidAt = now;
      }
      return Patterns.after(POLL, system, () -> acquire(deadline));
    });
  }

  private void renew() {
    SchemaVersions.renew(cql, keyspace, owner, since).whenComplete((held, error) -> {
      if (error != null || !held) {
        log.warn("Schema lock of keyspace {} could not be renewed ({}); another migrator may start",
            keyspace, error != null ? error.getMessage() : "no longer held");
      }
    });
  }
}
