package io.entrabackup.cluster.backup;

import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.BackupFinished;
import io.entrabackup.protocol.tenant.TenantCommands.BackupRunFailed;
import io.entrabackup.protocol.tenant.TenantCommands.RunReport;
import io.entrabackup.protocol.tenant.TenantCommands.RunReportRecorded;
import io.entrabackup.protocol.tenant.TenantCommands.TypeDone;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One backup run of one tenant, a child of its tenant entity: crawls the types one after another and
 * reports each milestone, waiting until the entity has persisted it before going on. A run that dies
 * with its node is resumed by the entity from the last milestone.
 */
public final class BackupRun {

  /** The run's own messages: results piped back from its futures. */
  interface Message {}

  private record TypeCrawled(TypeResult result) implements Message {}

  private record CrawlFailed(ObjectType type, Throwable error) implements Message {}

  private record CountsRead(Map<String, Long> counts) implements Message {}

  private record ReportRecorded() implements Message {}

  private record ReportNotRecorded(int attempt, Throwable error) implements Message {}

  private static final int REPORT_ATTEMPTS = 5;

  private final ActorContext<Message> context;
  private final BackupRunSpec spec;
  private final ActorRef<TenantCommands.Command> tenant;
  private final TypeCrawler crawler;
  private final SnapshotStore store;
  private final BackupProgress progress;
  private final Duration askTimeout;

  private BackupRun(ActorContext<Message> context, BackupRunSpec spec, ActorRef<TenantCommands.Command> tenant,
      TypeCrawler crawler, SnapshotStore store, BackupProgress progress, Duration askTimeout) {
    this.context = context;
    this.spec = spec;
    this.tenant = tenant;
    this.crawler = crawler;
    this.store = store;
    this.progress = progress;
    this.askTimeout = askTimeout;
  }

  static Behavior<Message> create(BackupRunSpec spec, ActorRef<TenantCommands.Command> tenant, TypeCrawler crawler,
      SnapshotStore store, BackupProgress progress, Duration askTimeout) {
    Map<String, String> mdc = Map.of("tenantId", spec.tenantId().value(), "jobId", spec.runId());
    return Behaviors.withMdc(Message.class, mdc, Behaviors.setup(context ->
        new BackupRun(context, spec, tenant, crawler, store, progress, askTimeout).next(spec.types())));
  }

  /** Crawls the first of {@code remaining}, or closes the run when none is left. */
  private Behavior<Message> next(List<ObjectType> remaining) {
    if (remaining.isEmpty()) {
      context.pipeToSelf(store.counts(spec.tenantId()), (counts, error) -> error == null
          ? new CountsRead(apiNames(counts))
          : new CountsRead(Map.of()));
      return Behaviors.receive(Message.class)
          .onMessage(CountsRead.class, read -> report(replyTo -> new BackupFinished(spec.runId(), read.counts(), replyTo),
              Behaviors::stopped))
          .build();
    }
    ObjectType type = remaining.get(0);
    List<ObjectType> rest = remaining.subList(1, remaining.size());
    context.getLog().debug("Backing up {} of tenant {}", type.apiName(), spec.tenantId());
    long startedNanos = System.nanoTime();
    context.pipeToSelf(
        crawler.crawl(spec, type, seen -> progress.seen(spec, type, seen)),
        (result, error) -> error == null ? new TypeCrawled(result) : new CrawlFailed(type, unwrap(error)));
    return Behaviors.receive(Message.class)
        .onMessage(TypeCrawled.class, crawled -> {
          logCrawled(crawled.result(), System.nanoTime() - startedNanos);
          return report(replyTo -> new TypeDone(spec.runId(), type, crawled.result().counts(), crawled.result().graph(),
              crawled.result().deltaLink(), replyTo), () -> next(rest));
        })
        .onMessage(CrawlFailed.class, this::onCrawlFailed)
        .build();
  }

  /** One line per type: what on-call reads to see where a slow or surprising run spent its time. */
  private void logCrawled(TypeResult result, long nanos) {
    TypeCounts counts = result.counts();
    context.getLog().info("Backup {} of tenant {}: {} in {} ms: {} seen, {} new, {} changed, {} removed, {} unchanged;"
            + " {} Graph requests, {} throttled, {} bytes", spec.runId(), spec.tenantId(), result.type().apiName(),
        nanos / 1_000_000, counts.seen(), counts.created(), counts.changed(), counts.removed(), counts.unchanged(),
        result.graph().requests(), result.graph().throttled(), result.graph().bytes());
  }

  private Behavior<Message> onCrawlFailed(CrawlFailed failed) {
    boolean lost = failed.error() instanceof AuthorizationLostException;
    String error = failed.type().apiName() + ": " + describe(failed.error());
    if (!lost) {
      context.getLog().warn("Backup {} of tenant {} failed: {}", spec.runId(), spec.tenantId(), error);
    }
    return report(replyTo -> new BackupRunFailed(spec.runId(), error, lost, replyTo), Behaviors::stopped);
  }

  /**
   * Tells the entity, waits until it has persisted the report, and only then goes on with {@code after}:
   * the next type never starts before the last one's milestone is safe.
   */
  private Behavior<Message> report(Function<ActorRef<RunReportRecorded>, RunReport> report,
      Supplier<Behavior<Message>> after) {
    askEntity(report, 1);
    return Behaviors.receive(Message.class)
        .onMessage(ReportRecorded.class, recorded -> after.get())
        .onMessage(ReportNotRecorded.class, failed -> {
          if (failed.attempt() >= REPORT_ATTEMPTS) {
            context.getLog().error("Backup {} of tenant {}: the tenant did not record its progress: {}; the tenant"
                + " resumes the run when it restarts", spec.runId(), spec.tenantId(), failed.error().getMessage());
            return Behaviors.stopped();
          }
          askEntity(report, failed.attempt() + 1);
          return Behaviors.same();
        })
        .build();
  }

  private void askEntity(Function<ActorRef<RunReportRecorded>, RunReport> report, int attempt) {
    context.ask(RunReportRecorded.class, tenant, askTimeout, report::apply, (recorded, error) -> error == null
        ? new ReportRecorded()
        : new ReportNotRecorded(attempt, error));
  }

  private static Map<String, Long> apiNames(Map<ObjectType, Long> counts) {
    Map<String, Long> named = new HashMap<>();
    counts.forEach((type, count) -> named.put(type.apiName(), count));
    return Map.copyOf(named);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private static String describe(Throwable error) {
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
