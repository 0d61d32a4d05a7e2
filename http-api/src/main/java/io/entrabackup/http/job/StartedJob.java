package io.entrabackup.http.job;

import io.entrabackup.protocol.backup.JobKind;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.entrabackup.http.ApiJson;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.approval.ApprovalView;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.restore.RestoreDetails;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;

/**
 * What every request that starts a job answers: 202, {@code Location: /api/v1/jobs/{id}}, and the job view that
 * {@code GET /api/v1/jobs/{id}} shows, so a client reads one shape whichever job it started.
 *
 * <p>Backups and restores are accepted by the tenant entity, whose answer carries the job's id only. Their System
 * Status row is written by a projection that reads the tenants' events at least
 * {@code events-by-tag.eventual-consistency-delay} (2 s) after they were written, so reading it here would hold every
 * Backup Now for seconds, or answer nothing. The view is built instead from what was accepted: exactly what the row
 * will say at first (state, trigger, the restore's object and version, no progress yet), with the times of this node's
 * clock at acceptance, within milliseconds of the entity's (the same clock); {@code GET /jobs/{id}} has the recorded
 * ones. A download's row is written before its start is answered, so downloads answer the row itself.
 *
 * @param job the job as System Status shows it
 */
public record StartedJob(@JsonUnwrapped JobView job) {

  /**
   * The job's id under the name backups and restores answered it before they answered the job view.
   *
   * @deprecated read {@code id}; {@code jobId} is answered for one more release
   */
  @Deprecated
  @JsonProperty("jobId")
  public String jobId() {
    return job.id();
  }

  /** A Backup Now the tenant entity accepted: queued until its node has a backup slot for it. */
  public static StartedJob backup(String jobId, TenantId tenant, Instant acceptedAt) {
    return new StartedJob(new JobView(jobId, JobKind.BACKUP, tenant.value(), JobState.QUEUED,
        Optional.of(BackupTrigger.MANUAL), acceptedAt, Optional.empty(), Optional.empty(), Map.of(), Map.of(),
        TypeCounts.ZERO, GraphTraffic.NONE, Optional.empty(), Optional.empty()));
  }

  /** A restore the tenant entity accepted: running now, or queued behind the tenant's backup or restore. */
  public static StartedJob restore(String jobId, TenantId tenant, boolean queued, RestoreDetails restore,
      Instant acceptedAt) {
    return new StartedJob(new JobView(jobId, JobKind.RESTORE, tenant.value(), queued ? JobState.QUEUED : JobState.RUNNING,
        Optional.empty(), acceptedAt, queued ? Optional.empty() : Optional.of(acceptedAt), Optional.empty(), Map.of(),
        Map.of(), TypeCounts.ZERO, GraphTraffic.NONE, Optional.empty(), Optional.empty())
        .withRestore(Optional.of(restore)));
  }

  /**
   * Four-eyes: a restore created waiting for a second key's approval until {@code expiresAt}; it runs (or queues) only
   * once approved. The view shows its approval as its System Status row will.
   */
  public static StartedJob restoreAwaitingApproval(String jobId, TenantId tenant, RestoreDetails restore,
      String reason, Instant acceptedAt, Instant expiresAt) {
    return new StartedJob(new JobView(jobId, JobKind.RESTORE, tenant.value(), JobState.AWAITING_APPROVAL,
        Optional.empty(), acceptedAt, Optional.empty(), Optional.empty(), Map.of(), Map.of(), TypeCounts.ZERO,
        GraphTraffic.NONE, Optional.empty(), Optional.empty())
        .withRestore(Optional.of(restore))
        .withApproval(Optional.of(new ApprovalView(restore.requestedBy(), reason, acceptedAt, expiresAt,
            Optional.empty(), Optional.empty(), Optional.empty()))));
  }

  /** The answer: 202 Accepted, where to follow the job, and the job. */
  public HttpResponse accepted() {
    return HttpResponse.create()
        .withStatus(StatusCodes.ACCEPTED)
        .addHeader(Location.create("/api/v1/jobs/" + job.id()))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json()));
  }

  private byte[] json() {
    try {
      return ApiJson.MAPPER.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job view could not be written", e);
    }
  }
}
