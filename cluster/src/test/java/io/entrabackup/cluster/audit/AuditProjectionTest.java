package io.entrabackup.cluster.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.NewAuditRecord;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.tenant.TenantEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which tenant events the audit trail records, in which account's trail, as what. */
class AuditProjectionTest {

  private static final TenantId TENANT = TenantId.random();
  private static final AccountId ACCOUNT = new AccountId("msp-a");
  private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void consentOutcomesAreRecordedInTheTenantsAccountsTrail() {
    NewAuditRecord completed = AuditProjection.record(new TenantEvents.TenantAuthorized(TENANT, ACCOUNT, "dir-1",
        "Contoso", List.of(), Duration.ofDays(1), false, AT, AT)).orElseThrow();
    assertEquals("msp-a", completed.trail());
    assertEquals(AuditAction.CONSENT_COMPLETED, completed.action());
    assertEquals(Map.of("tenant", TENANT.value(), "directory", "dir-1"), completed.target());
    assertEquals(AT, completed.at());

    NewAuditRecord refused = AuditProjection.record(new TenantEvents.AuthorizationRefused(TENANT, ACCOUNT,
        "access_denied", "the admin declined", AT)).orElseThrow();
    assertEquals(AuditAction.CONSENT_REFUSED, refused.action());
    assertEquals(AuditOutcome.REFUSED, refused.outcome());

    NewAuditRecord lost = AuditProjection.record(new TenantEvents.AuthorizationLost(TENANT, ACCOUNT,
        "consent revoked", AT)).orElseThrow();
    assertEquals(AuditAction.CONSENT_LOST, lost.action());
    assertEquals(AuditOutcome.FAILED, lost.outcome());
    assertEquals(Optional.empty(), lost.keyId());
  }

  @Test
  void aRestoreRunIsRecordedWithItsOutcomeAndBackupsAreNot() {
    NewAuditRecord ran = AuditProjection.record(new TenantEvents.RestoreCompleted(TENANT, ACCOUNT, "job-1",
        RestoreAction.UPDATE, 3, 0, Optional.empty(), AT, GraphTraffic.NONE)).orElseThrow();
    assertEquals(AuditAction.RESTORE_RUN, ran.action());
    assertEquals(AuditOutcome.SUCCESS, ran.outcome());
    assertEquals("job-1", ran.target().get("job"));

    NewAuditRecord failed = AuditProjection.record(new TenantEvents.RestoreFailed(TENANT, ACCOUNT, "job-2", "boom",
        AT, GraphTraffic.NONE)).orElseThrow();
    assertEquals(AuditOutcome.FAILED, failed.outcome());

    assertEquals(Optional.empty(), AuditProjection.record(new TenantEvents.BackupStarted(TENANT, ACCOUNT, "run-1",
        BackupTrigger.SCHEDULED, List.of(), AT)));
  }

  @Test
  void aRestoreWhoseApprovalExpiredIsRecordedAsRefused() {
    NewAuditRecord expired = AuditProjection.record(
        new TenantEvents.RestoreApprovalExpired(TENANT, ACCOUNT, "job-3", AT)).orElseThrow();
    assertEquals(AuditAction.JOB_EXPIRED, expired.action());
    assertEquals(AuditOutcome.REFUSED, expired.outcome());
    assertEquals("job-3", expired.target().get("job"));
    assertEquals(AT, expired.at());
  }
}
