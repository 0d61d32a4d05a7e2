package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.AsyncFailures;

import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.tenant.RunReports;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal.BackupFinished;
import io.entrabackup.protocol.tenant.TenantInternal.BackupRunFailed;
import io.entrabackup.protocol.tenant.TenantInternal.RunReport;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import io.entrabackup.protocol.tenant.TenantInternal.TypeDone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;

/**
 * One backup run of one tenant, a child of its tenant entity. All its types are crawled at once: their Graph requests
 * take turns at the tenant's request gate, and while one type waits for Graph another's pages are being written, so
 * neither Graph's latency nor Cassandra sits idle behind the other.
 *
 * <p>Milestones are still reported one type at a time and in the run's order, each only once the entity has
 * persisted the one before, so a run that dies with its node resumes from a prefix of its types. The order matters
 * for memberships: groups and directory roles take the run's hard-deleted users out of their members only after the
 * users are written, and their milestone must not be persisted before the users' one (a resumed run would otherwise
 * find the deleted users again but no longer reconcile the groups).
 *
 * <p>When a crawl fails, the others are stopped (kill switch), and the failure is reported once none is running any
 * more, so no write of the failed run lands after it.
 */
public final class BackupRun {

  /** The run's own messages: results piped back from its futures. */
  interface Message {}

  private record TypeCrawled(TypeResult result, long nanos) implements Message {}

  private record CrawlFailed(ObjectType type, Throwable error) implements Message {}

  private record CountsRead(Map<String, Long> counts) implements Message {}

  private record ReportRecorded() implements Message {}

  private record ReportNotRecorded(String what, Throwable error) implements Message {}

  private final ActorContext<Message> context;
  private final BackupRunSpec spec;
  private final RunReports reports;
  private final SnapshotStore store;
  private final SharedKillSwitch killSwitch;
  private final CompletableFuture<Done> usersWritten = new CompletableFuture<>();

  /** Types whose milestone is still to be reported, in the run's order. */
  private final List<ObjectType> unreported;
  private final Set<ObjectType> crawling = EnumSet.noneOf(ObjectType.class);
  private final Map<ObjectType, TypeResult> crawled = new EnumMap<>(ObjectType.class);
  private Optional<CrawlFailed> failure = Optional.empty();
  /** What each type of this run (or of this resumption of it) did, for the run's end line. */
  private final Map<ObjectType, TypeResult> results = new EnumMap<>(ObjectType.class);
  private final long startedNanos = System.nanoTime();
  /** A TypeDone is being recorded by the entity (asked again by {@link RunReports} if the entity did not answer). */
  private boolean reporting;

  private BackupRun(ActorContext<Message> context, BackupRunSpec spec, ActorRef<TenantCommands.Command> tenant,
      SnapshotStore store, Duration askTimeout) {
    this.context = context;
    this.spec = spec;
    this.reports = new RunReports(context.getSystem(), tenant, askTimeout);
    this.store = store;
    this.killSwitch = KillSwitches.shared("backup-" + spec.runId());
    this.unreported = new ArrayList<>(spec.types());
  }

  static Behavior<Message> create(BackupRunSpec spec, ActorRef<TenantCommands.Command> tenant, TypeCrawler crawler,
      SnapshotStore store, BackupProgress progress, Duration askTimeout) {
    Map<String, String> mdc = spec.job().entries();
    return Behaviors.withMdc(Message.class, mdc, Behaviors.setup(context ->
        new BackupRun(context, spec, tenant, store, askTimeout).start(crawler, progress)));
  }

  private Behavior<Message> start(TypeCrawler crawler, BackupProgress progress) {
    if (!spec.types().contains(ObjectType.USERS)) {
      usersWritten.complete(Done.getInstance()); // a resumed run whose users are recorded already
    }
    TypeCrawler.RunCoordination shared = new TypeCrawler.RunCoordination(killSwitch, usersWritten);
    context.getLog().info("Job started: backup {} of tenant {}: {} (request {})", spec.runId(), spec.tenantId(),
        spec.types().stream().map(ObjectType::apiName).toList(), spec.requestId().orElse(spec.runId()));
    for (ObjectType type : spec.types()) {
      context.getLog().debug("Backing up {} of tenant {}", type.apiName(), spec.tenantId());
      long startedNanos = System.nanoTime();
      var result = crawler.crawl(spec, type, seen -> progress.seen(spec, type, seen), shared);
      if (type == ObjectType.USERS) {
        result.whenComplete((users, error) -> {
          if (error == null) {
            usersWritten.complete(Done.getInstance());
          } else {
            usersWritten.completeExceptionally(new BackupStoppedException("the users of run " + spec.runId()
                + " were not written"));
          }
        });
      }
      crawling.add(type);
      context.pipeToSelf(result, (crawledType, error) -> error == null
          ? new TypeCrawled(crawledType, System.nanoTime() - startedNanos)
          : new CrawlFailed(type, AsyncFailures.cause(error)));
    }
    return running();
  }

  private Behavior<Message> running() {
    return Behaviors.receive(Message.class)
        .onMessage(TypeCrawled.class, this::onTypeCrawled)
        .onMessage(CrawlFailed.class, this::onCrawlFailed)
        .onMessage(ReportRecorded.class, recorded -> {
          reporting = false;
          unreported.remove(0);
          return reportNext();
        })
        .onMessage(ReportNotRecorded.class, this::giveUp)
        .onSignal(PostStop.class, stopped -> {
          stopCrawls("the backup run stopped");
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Message> onTypeCrawled(TypeCrawled done) {
    crawling.remove(done.result().type());
    crawled.put(done.result().type(), done.result());
    results.put(done.result().type(), done.result());
    logCrawled(done.result(), done.nanos());
    return reportNext();
  }

  /**
   * The first failure of its own is the run's error; crawls that ended because of it (stopped, or waiting for users
   * that failed) fail with {@link BackupStoppedException} and only count as ended.
   */
  private Behavior<Message> onCrawlFailed(CrawlFailed failed) {
    crawling.remove(failed.type());
    if (failure.isEmpty() && !(failed.error() instanceof BackupStoppedException)) {
      failure = Optional.of(failed);
      stopCrawls(failed.type().apiName() + " failed");
    }
    return reportNext();
  }

  /** Reports what can be reported now: the next type's milestone, or the run's end once nothing runs any more. */
  private Behavior<Message> reportNext() {
    if (reporting) {
      return Behaviors.same();
    }
    if (failure.isPresent()) {
      return crawling.isEmpty() ? reportFailure(failure.get()) : Behaviors.same();
    }
    if (!unreported.isEmpty()) {
      TypeResult result = crawled.remove(unreported.get(0));
      if (result != null) {
        reporting = true;
        report(replyTo -> new TypeDone(spec.runId(), result.type(), result.counts(), result.graph(),
            result.deltaLink(), replyTo), "its progress");
      }
      return Behaviors.same();
    }
    return finish();
  }

  /** The entity did not record a report however often it was asked: it resumes the run when it restarts. */
  private Behavior<Message> giveUp(ReportNotRecorded failed) {
    context.getLog().error("Backup {} of tenant {}: the tenant did not record {}: {}; the tenant resumes the run"
        + " when it restarts", spec.runId(), spec.tenantId(), failed.what(), failed.error().getMessage());
    return Behaviors.stopped();
  }

  private Behavior<Message> finish() {
    context.pipeToSelf(store.counts(spec.tenantId()), (counts, error) -> error == null
        ? new CountsRead(apiNames(counts))
        : new CountsRead(Map.of()));
    return Behaviors.receive(Message.class)
        .onMessage(CountsRead.class, read -> {
          logEnded("completed");
          return reportLast(replyTo -> new BackupFinished(spec.runId(), read.counts(), replyTo));
        })
        .build();
  }

  private Behavior<Message> reportFailure(CrawlFailed failed) {
    boolean lost = failed.error() instanceof AuthorizationLostException;
    String error = failed.type().apiName() + ": " + AsyncFailures.describe(failed.error());
    if (!lost) {
      context.getLog().warn("Backup {} of tenant {} failed: {}", spec.runId(), spec.tenantId(), error);
    }
    logEnded(lost ? "failed: authorization lost" : "failed");
    return reportLast(replyTo -> new BackupRunFailed(spec.runId(), error, lost, replyTo));
  }

  /** Tells the entity how the run ended, waits until it has persisted that, and stops. */
  private Behavior<Message> reportLast(Function<ActorRef<RunReportRecorded>, RunReport> report) {
    report(report, "the run's end");
    return Behaviors.receive(Message.class)
        .onMessage(ReportRecorded.class, recorded -> Behaviors.stopped())
        .onMessage(ReportNotRecorded.class, this::giveUp)
        .build();
  }

  private void report(Function<ActorRef<RunReportRecorded>, RunReport> report, String what) {
    context.pipeToSelf(reports.send(report), (recorded, error) -> error == null
        ? new ReportRecorded()
        : new ReportNotRecorded(what, AsyncFailures.cause(error)));
  }

  private void stopCrawls(String why) {
    BackupStoppedException stopped = new BackupStoppedException("backup " + spec.runId() + " of tenant "
        + spec.tenantId() + " stopped: " + why);
    usersWritten.completeExceptionally(stopped);
    killSwitch.abort(stopped);
  }

  /** One line per type: what on-call reads to see where a slow or surprising run spent its time. */
  private void logCrawled(TypeResult result, long nanos) {
    TypeCounts counts = result.counts();
    context.getLog().info("Backup {} of tenant {}: {} in {} ms: {} seen, {} new, {} changed, {} removed, {} unchanged;"
            + " {} Graph requests, {} throttled, {} bytes", spec.runId(), spec.tenantId(), result.type().apiName(),
        nanos / 1_000_000, counts.seen(), counts.created(), counts.changed(), counts.removed(), counts.unchanged(),
        result.graph().requests(), result.graph().throttled(), result.graph().bytes());
  }

  /** The run's end: what each type wrote and left unchanged, Graph's bytes, how long, how it ended. */
  private void logEnded(String outcome) {
    TypeCounts total = TypeCounts.ZERO;
    long bytes = 0;
    long requests = 0;
    StringBuilder perType = new StringBuilder();
    for (TypeResult result : results.values()) {
      TypeCounts counts = result.counts();
      total = total.plus(counts);
      bytes += result.graph().bytes();
      requests += result.graph().requests();
      perType.append(perType.isEmpty() ? "" : ", ").append(result.type().apiName()).append(' ')
          .append(written(counts)).append(" written ").append(counts.unchanged()).append(" unchanged");
    }
    context.getLog().info("Job ended: backup {} of tenant {} {} in {} ms: {} objects written, {} unchanged ({});"
            + " {} Graph requests, {} bytes", spec.runId(), spec.tenantId(), outcome,
        (System.nanoTime() - startedNanos) / 1_000_000, written(total), total.unchanged(), perType, requests, bytes);
  }

  private static long written(TypeCounts counts) {
    return counts.created() + counts.changed() + counts.removed();
  }

  private static Map<String, Long> apiNames(Map<ObjectType, Long> counts) {
    Map<String, Long> named = new HashMap<>();
    counts.forEach((type, count) -> named.put(type.apiName(), count));
    return Map.copyOf(named);
  }
}
