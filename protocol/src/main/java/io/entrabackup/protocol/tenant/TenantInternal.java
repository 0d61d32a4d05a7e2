package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.restore.RestoreAction;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the tenant entity hears from inside the cluster, never from the API: its own schedule timer, and the reports
 * of the backup and restore runs it spawned. The API's commands are in {@link TenantCommands}.
 */
public final class TenantInternal {

  private TenantInternal() {}

  /** A message from the entity's own timer or one of its workers. */
  public sealed interface InternalCommand extends TenantCommands.Command
      permits ScheduleDue, RunReport, RestoreReport, RestorePasswordIssued, ApprovalDue, BackupSlotTaken, DeletionDue,
          PurgeDone, PurgeFailed {}

  /**
   * The entity's own timer: its grace period may be over (or a purge that failed is due again). Answers nobody.
   */
  public record DeletionDue() implements InternalCommand {}

  /** The purge's steps (key, rows, the journal's tagged copies and snapshots) all succeeded. Answers nobody. */
  public record PurgeDone() implements InternalCommand {}

  /** A purge step failed; {@code error} for the log; it is tried again after a delay. Answers nobody. */
  public record PurgeFailed(String error) implements InternalCommand {}

  /** The entity's own timer: the restore {@code jobId} waiting for approval may have expired. Answers nobody. */
  public record ApprovalDue(String jobId) implements InternalCommand {}

  /** The tenant's own timer: its scheduled backup may be due. Answers nobody. */
  public record ScheduleDue() implements InternalCommand {}

  /**
   * The backup run {@code runId} got one of its node's backup slots at {@code at} and reads Graph now (it waited,
   * queued, until then). Answers nobody: after a crash the resumed run asks for a slot again and says so again.
   */
  public record BackupSlotTaken(String runId, Instant at) implements InternalCommand {}

  /** The entity persisted a report of a run (backup or restore): the run may go on, or stop. */
  public record RunReportRecorded(String runId) implements CborSerializable {}

  /** What the tenant's running backup reports to it; answered with {@link RunReportRecorded} once persisted. */
  public sealed interface RunReport extends InternalCommand permits TypeDone, BackupFinished, BackupRunFailed {
    String runId();

    ActorRef<RunReportRecorded> replyTo();
  }

  /**
   * One object type is backed up and its snapshots written: counts, traffic, and the delta link to start
   * from next time (absent for types Graph has no delta for).
   */
  public record TypeDone(String runId, ObjectType type, TypeCounts counts, GraphTraffic graph,
      Optional<String> deltaLink, ActorRef<RunReportRecorded> replyTo) implements RunReport {}

  /** Every type is done. */
  public record BackupFinished(String runId, Map<String, Long> objectCounts, ActorRef<RunReportRecorded> replyTo)
      implements RunReport {}

  /** The run cannot go on; {@code error} is written for the operator. */
  public record BackupRunFailed(String runId, String error, boolean authorizationLost,
      ActorRef<RunReportRecorded> replyTo) implements RunReport {}

  /** What a running restore reports to its tenant; answered with {@link RunReportRecorded} once persisted. */
  public sealed interface RestoreReport extends InternalCommand
      permits ReportObjectRecreated, RestoreFinished, RestoreRunFailed {
    String jobId();

    ActorRef<RunReportRecorded> replyTo();
  }

  /**
   * A milestone: the object was created anew under {@code newObjectId}. Persisted (as the event
   * {@link TenantEvents.RestoreObjectRecreated}) before the restore goes on, so a restore resumed after a crash
   * updates that object instead of creating another one.
   */
  public record ReportObjectRecreated(String jobId, String newObjectId, ActorRef<RunReportRecorded> replyTo)
      implements RestoreReport {}

  /**
   * The restore is done. {@code skipped} items are already stored. {@code action} says whether the object was
   * updated, undeleted or recreated; {@code newObjectId} is a recreated object's id (a role assignment gets its new id
   * only here: recreating one is idempotent, so it needs no milestone). {@code graph}: the restore's requests to Graph.
   */
  public record RestoreFinished(String jobId, RestoreAction action, long changes, long skipped,
      Optional<String> newObjectId, GraphTraffic graph, ActorRef<RunReportRecorded> replyTo) implements RestoreReport {}

  /** The restore cannot go on; {@code error} is written for the operator. */
  public record RestoreRunFailed(String jobId, String error, GraphTraffic graph, ActorRef<RunReportRecorded> replyTo)
      implements RestoreReport {}

  /**
   * The temporary password of a recreated user, from the restore to its entity (same JVM: a child tells its parent).
   * Never persisted; answered by nobody.
   */
  public record RestorePasswordIssued(String jobId, String password) implements InternalCommand {
    @Override
    public String toString() {
      return "RestorePasswordIssued[jobId=" + jobId + ", password=<hidden>]";
    }
  }
}
