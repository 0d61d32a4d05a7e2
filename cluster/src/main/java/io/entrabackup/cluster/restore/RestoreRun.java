package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.AsyncFailures;

import io.entrabackup.cluster.metrics.NodeMetrics;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.tenant.RunReports;
import io.entrabackup.protocol.restore.RestoreRefused;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal.ReportObjectRecreated;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreFinished;
import io.entrabackup.protocol.tenant.TenantInternal.RestorePasswordIssued;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreReport;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreRunFailed;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import java.time.Duration;
import io.entrabackup.cluster.job.JobMdc;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One restore job, a child of its tenant entity: loads the version, runs the {@link RestoreExecution} (its Graph calls
 * and Cassandra reads are futures piped back here, never awaited on the actor's thread), stores the skipped items and
 * reports the outcome, waiting until the entity has persisted it ({@link RunReports} asks again when it does not
 * answer). A restore that dies with its node is started again by the entity when it recovers, with the id of an object
 * it recreated already.
 */
final class RestoreRun {

  interface Message {}

  private record Done(RestoreResult result) implements Message {}

  private record Failed(Throwable error) implements Message {}

  private record ReportRecorded() implements Message {}

  private record ReportNotRecorded(Throwable error) implements Message {}

  private final ActorContext<Message> context;
  private final RestoreSpec spec;
  private final ActorRef<TenantCommands.Command> tenant;
  private final RunReports reports;
  private final RestoreGraph graph;
  private final long startedNanos = System.nanoTime();

  private RestoreRun(ActorContext<Message> context, RestoreSpec spec, ActorRef<TenantCommands.Command> tenant,
      Duration askTimeout, RestoreGraph graph) {
    this.context = context;
    this.spec = spec;
    this.tenant = tenant;
    this.reports = new RunReports(context.getSystem(), tenant, askTimeout);
    this.graph = graph;
  }

  static Behavior<Message> create(RestoreSpec spec, ActorRef<TenantCommands.Command> tenant, RestorePlans plans,
      SkippedItemStore skippedItems, RestoreWrites writes, Duration askTimeout) {
    JobMdc job = spec.job();
    return Behaviors.withMdc(Message.class, job.entries(), Behaviors.setup(context -> {
      RestoreRun run = new RestoreRun(context, spec, tenant, askTimeout, plans.graphFor(spec.entraTenantId(), job));
      context.getLog().info("Job started: restore {} of tenant {}: {} {} to version {} (request {})", spec.jobId(),
          spec.tenantId(), spec.type().apiName(), spec.objectId(), spec.versionId(), job.requestId().orElse("none"));
      context.pipeToSelf(run.restore(plans, skippedItems, writes),
          (result, error) -> error == null ? new Done(result) : new Failed(AsyncFailures.cause(error)));
      return run.running();
    }));
  }

  private CompletionStage<RestoreResult> restore(RestorePlans plans, SkippedItemStore skippedItems,
      RestoreWrites writes) {
    return plans.target(spec.tenantId(), spec.type(), spec.objectId(), spec.versionId())
        .thenCombine(RestoreTally.start(writes, spec.jobId(),
            NodeMetrics.get(context.getSystem()).restoresAndDownloads()::restoreWriteMade), (found, tally) -> {
          ObjectSnapshot target = found.orElseThrow(() -> new RestoreRefused(404, "Version " + spec.versionId()
              + " of " + spec.type().apiName() + " " + spec.objectId() + " is not in the backup"));
          return new RestoreExecution(plans, graph, spec.tenantId(), target, this::recreated,
              password -> tenant.tell(new RestorePasswordIssued(spec.jobId(), password)), tally);
        })
        .thenCompose(execution -> execution.run(spec.recreatedId()))
        .thenCompose(result -> skippedItems.replace(spec.jobId(), result.skipped()).thenApply(done -> result));
  }

  /** The recreation milestone: the restore goes on only once the entity has persisted the new id. */
  private CompletionStage<RunReportRecorded> recreated(String newObjectId) {
    return reports.send(replyTo -> new ReportObjectRecreated(spec.jobId(), newObjectId, replyTo));
  }

  private Behavior<Message> running() {
    return Behaviors.receive(Message.class)
        .onMessage(Done.class, done -> logEnded(done.result()).report(replyTo -> new RestoreFinished(spec.jobId(),
            done.result().action(),
            done.result().changes(), done.result().skipped().size(), done.result().newObjectId(), graph.traffic(),
            replyTo)))
        .onMessage(Failed.class, failed -> {
          String error = AsyncFailures.describe(failed.error());
          context.getLog().warn("Restore {} of tenant {} failed: {}", spec.jobId(), spec.tenantId(), error);
          context.getLog().info("Job ended: restore {} of tenant {} failed in {} ms: {} Graph requests, {} bytes",
              spec.jobId(), spec.tenantId(), millis(), graph.traffic().requests(), graph.traffic().bytes());
          return report(replyTo -> new RestoreRunFailed(spec.jobId(), error, graph.traffic(), replyTo));
        })
        .build();
  }

  /** The restore's end line: what it did, how many writes and skipped items, how long it took. */
  private RestoreRun logEnded(RestoreResult result) {
    context.getLog().info("Job ended: restore {} of tenant {} {} in {} ms: {} writes, {} skipped; {} Graph requests,"
            + " {} bytes", spec.jobId(), spec.tenantId(), result.skipped().isEmpty() ? "completed"
            : "completed with skipped items", millis(), result.changes(), result.skipped().size(),
        graph.traffic().requests(), graph.traffic().bytes());
    return this;
  }

  private long millis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private Behavior<Message> report(Function<ActorRef<RunReportRecorded>, RestoreReport> report) {
    context.pipeToSelf(reports.send(report), (recorded, error) -> error == null
        ? new ReportRecorded()
        : new ReportNotRecorded(AsyncFailures.cause(error)));
    return Behaviors.receive(Message.class)
        .onMessage(ReportRecorded.class, recorded -> Behaviors.stopped())
        .onMessage(ReportNotRecorded.class, failed -> {
          context.getLog().error("Restore {} of tenant {}: the tenant did not record its outcome: {}; the tenant"
              + " runs the restore again when it restarts", spec.jobId(), spec.tenantId(), failed.error().getMessage());
          return Behaviors.stopped();
        })
        .build();
  }
}
