package io.entrabackup.cluster.audit;

import io.entrabackup.cluster.tenant.TenantEventSlices;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.NewAuditRecord;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.DirectoryDisputed;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalExpired;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreFailed;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Records in the audit trail what no API request shows: the outcome of a consent (completed, refused by the admin,
 * lost during a backup) and of a restore run. They are facts of the tenant entity, read from its events, so no HTTP
 * or actor code needs a hook. Runs one instance per slice of the tenants; each saves its offset after every event, so only a crash
 * between an append and its offset repeats a record (a repeat, never a loss).
 */
public final class AuditProjection extends Handler<EventEnvelope<Event>> {

  private static final String NAME = "audit-trail";

  private final AuditTrail trail;

  private AuditProjection(AuditTrail trail) {
    this.trail = trail;
  }

  /** One instance per slice of the tenants ({@link TenantEventSlices}), each with its own offset. */
  public static void init(ActorSystem<?> system, AuditTrail trail) {
    TenantEventSlices.get(system).run(system, NAME, tag -> CassandraProjection.atLeastOnce(
            TenantEventSlices.projectionId(NAME, tag), TenantEventSlices.events(system, tag),
            () -> new AuditProjection(trail))
        .withSaveOffset(1, Duration.ZERO));
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Event> envelope) {
    return record(envelope.event())
        .map(draft -> trail.append(draft).thenApply(entry -> Done.getInstance()))
        .orElseGet(() -> CompletableFuture.completedFuture(Done.getInstance()));
  }

  /** The record an event makes, if it is one the trail keeps. */
  static Optional<NewAuditRecord> record(Event event) {
    if (event instanceof TenantAuthorized authorized) {
      return Optional.of(draft(authorized.account().value(), authorized.authorizedAt(), AuditAction.CONSENT_COMPLETED,
          Map.of("tenant", authorized.tenantId().value(), "directory", String.valueOf(authorized.entraTenantId())),
          AuditOutcome.SUCCESS));
    } else if (event instanceof AuthorizationRefused refused) {
      return Optional.of(draft(refused.account().value(), refused.refusedAt(), AuditAction.CONSENT_REFUSED,
          Map.of("tenant", refused.tenantId().value(), "error", String.valueOf(refused.error())),
          AuditOutcome.REFUSED));
    } else if (event instanceof AuthorizationLost lost) {
      return Optional.of(draft(lost.account().value(), lost.lostAt(), AuditAction.CONSENT_LOST,
          Map.of("tenant", lost.tenantId().value()), AuditOutcome.FAILED));
    } else if (event instanceof DirectoryDisputed disputed) {
      return Optional.of(draft(disputed.account().value(), disputed.disputedAt(), AuditAction.DIRECTORY_DISPUTED,
          Map.of("tenant", disputed.tenantId().value(), "directory", disputed.entraTenantId()), AuditOutcome.FAILED));
    } else if (event instanceof RestoreCompleted completed) {
      return Optional.of(draft(completed.account().value(), completed.finishedAt(), AuditAction.RESTORE_RUN,
          Map.of("tenant", completed.tenantId().value(), "job", completed.jobId(),
              "restoreAction", completed.action().apiName()),
          AuditOutcome.SUCCESS));
    } else if (event instanceof RestoreFailed failed) {
      return Optional.of(draft(failed.account().value(), failed.finishedAt(), AuditAction.RESTORE_RUN,
          Map.of("tenant", failed.tenantId().value(), "job", failed.jobId()), AuditOutcome.FAILED));
    } else if (event instanceof RestoreApprovalExpired expired) {
      return Optional.of(draft(expired.account().value(), expired.expiredAt(), AuditAction.JOB_EXPIRED,
          Map.of("tenant", expired.tenantId().value(), "job", expired.jobId()), AuditOutcome.REFUSED));
    }
    return Optional.empty();
  }

  private static NewAuditRecord draft(String account, Instant at, AuditAction action, Map<String, String> target,
      AuditOutcome outcome) {
    return new NewAuditRecord(account, at, Optional.empty(), Optional.empty(), Optional.empty(), action, target,
        outcome, 0);
  }
}
