package io.entrabackup.bench;

import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Memory per idle tenant entity: N tenant entities in one JVM (in-memory journal, no Graph, no Cassandra), each
 * registered, authorized and through its first backup (a stand-in run reports every type with a delta link as long
 * as Graph's), then idle with its schedule armed, as a remembered entity sits on a node all day. The heap after a
 * full GC with the N entities alive, less the heap after they stopped (the journal's events stay in both), divided by
 * N. Run: {@code java -cp bench.jar:... io.entrabackup.bench.IdleTenantMemory 10000}.
 */
public final class IdleTenantMemory {

  private static final AccountId ACCOUNT = new AccountId("bench-msp");
  /** Graph's delta links carry tokens of several hundred characters. */
  private static final String DELTA_LINK = "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=" + "x".repeat(600);

  private record Spawn(TenantId id, ActorRef<ActorRef<TenantCommands.Command>> replyTo) {}

  private IdleTenantMemory() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    var config = ConfigFactory.parseString(String.join("\n",
        "pekko.actor.provider = local",
        "pekko.loglevel = WARNING",
        "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"",
        "pekko.persistence.snapshot-store.plugin = \"pekko.persistence.snapshot-store.local\"",
        "pekko.persistence.snapshot-store.local.dir = \"target/idle-tenant-memory-snapshots\""))
        .withFallback(ConfigFactory.load());
    ActorSystem<Object> system = ActorSystem.create(guardian(), "idle-tenants", config);
    try {
      double before = heapAfterGcMib();
      List<ActorRef<TenantCommands.Command>> tenants = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        tenants.add(ask(system, replyTo -> new Spawn(TenantId.random(), replyTo)));
      }
      List<CompletionStage<?>> ready = new ArrayList<>();
      for (var tenant : tenants) {
        ready.add(authorize(system, tenant));
        if (ready.size() >= 256) {
          CompletableFuture.allOf(ready.stream().map(CompletionStage::toCompletableFuture)
              .toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
          ready.clear();
        }
      }
      CompletableFuture.allOf(ready.stream().map(CompletionStage::toCompletableFuture)
          .toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      awaitIdle(system, tenants);
      double alive = heapAfterGcMib();
      tenants.forEach(tenant -> system.tell(tenant));
      Thread.sleep(3000);
      double stopped = heapAfterGcMib();
      System.out.printf("%,d idle tenant entities (registered, authorized, first backup done, schedule armed) in"
              + " %.1f s: heap after GC %.1f MiB before, %.1f MiB with them alive, %.1f MiB once they stopped (journal"
              + " kept): %.2f KiB per idle tenant entity%n", n, (System.nanoTime() - start) / 1e9, before, alive,
          stopped, (alive - stopped) * 1024 / n);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Spawns tenant entities on request; a tenant ref sent to it is stopped. */
  @SuppressWarnings("unchecked")
  private static Behavior<Object> guardian() {
    TenantEntity.Collaborators deps = new TenantEntity.Collaborators(Clock.systemUTC(), (spec, tenant) ->
        Behaviors.setup(context -> {
          // A stand-in run: every type backed up with a delta link, then the run's end.
          ActorRef<TenantInternal.RunReportRecorded> ignore = context.getSystem().ignoreRef();
          for (ObjectType type : spec.types()) {
            tenant.tell(new TenantInternal.TypeDone(spec.runId(), type, new TypeCounts(50, 50, 0, 0, 0),
                new GraphTraffic(1, 0, 40_000), Optional.of(DELTA_LINK), ignore));
          }
          tenant.tell(new TenantInternal.BackupFinished(spec.runId(), Map.of("users", 50L, "groups", 10L), ignore));
          return Behaviors.stopped();
        }), RestoreRunner.UNAVAILABLE);
    return Behaviors.receive((context, message) -> {
      if (message instanceof Spawn spawn) {
        spawn.replyTo().tell(context.spawn(TenantEntity.create(spawn.id(), deps), spawn.id().value()));
      } else if (message instanceof ActorRef<?> child) {
        context.stop(child);
      }
      return Behaviors.same();
    });
  }

  private static CompletionStage<?> authorize(ActorSystem<Object> system, ActorRef<TenantCommands.Command> tenant) {
    Duration timeout = Duration.ofSeconds(60);
    String nonce = "nonce";
    return AskPattern.<TenantCommands.Command, TenantCommands.Reply>ask(tenant,
            replyTo -> new TenantCommands.Register(ACCOUNT, "Contoso", Optional.empty(), replyTo), timeout,
            system.scheduler())
        .thenCompose(r -> AskPattern.<TenantCommands.Command, TenantCommands.Reply>ask(tenant,
            replyTo -> new TenantCommands.RequestConsent(ACCOUNT, nonce, true, Duration.ofDays(1),
                Instant.now().plusSeconds(3600), replyTo), timeout, system.scheduler()))
        .thenCompose(r -> AskPattern.<TenantCommands.Command, TenantCommands.Reply>ask(tenant,
            replyTo -> new TenantCommands.CompleteConsent(ACCOUNT, nonce, TenantId.random().value(), "Contoso Ltd",
                List.of("contoso.onmicrosoft.com"), replyTo), timeout, system.scheduler()));
  }

  /** Until every tenant's first backup is recorded (its view shows a last backup). */
  private static void awaitIdle(ActorSystem<Object> system, List<ActorRef<TenantCommands.Command>> tenants)
      throws Exception {
    for (var tenant : tenants) {
      while (true) {
        TenantCommands.Reply reply = AskPattern.<TenantCommands.Command, TenantCommands.Reply>ask(tenant,
            replyTo -> new TenantCommands.GetTenant(ACCOUNT, replyTo), Duration.ofSeconds(60), system.scheduler())
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (reply instanceof TenantCommands.Current current && current.tenant().lastBackup().isPresent()) {
          break;
        }
        Thread.sleep(50);
      }
    }
  }

  private static ActorRef<TenantCommands.Command> ask(ActorSystem<Object> system,
      java.util.function.Function<ActorRef<ActorRef<TenantCommands.Command>>, Object> message) throws Exception {
    return AskPattern.<Object, ActorRef<TenantCommands.Command>>ask(system, message::apply, Duration.ofSeconds(30),
        system.scheduler()).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static double heapAfterGcMib() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }
}
