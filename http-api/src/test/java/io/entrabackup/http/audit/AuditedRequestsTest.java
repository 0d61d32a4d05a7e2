package io.entrabackup.http.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrabackup.protocol.audit.AuditAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table of audited requests: which method and path is which action, and what the path names as target. */
class AuditedRequestsTest {

  private static Optional<AuditedRequests.Match> match(String method, String path) {
    return AuditedRequests.match(method, List.of(path.split("/")));
  }

  @Test
  void securityRelevantRequestsAreActionsWithTheirPathIdsAsTarget() {
    assertEquals(Optional.of(new AuditedRequests.Match(AuditAction.BACKUP_REQUESTED, Map.of("tenant", "t1"))),
        match("POST", "tenants/t1/backups"));
    assertEquals(Optional.of(new AuditedRequests.Match(AuditAction.KEY_REVOKED, Map.of("account", "a", "key", "k"))),
        match("DELETE", "accounts/a/keys/k"));
    assertEquals(Optional.of(new AuditedRequests.Match(AuditAction.RESTORE_REQUESTED,
            Map.of("tenant", "t", "type", "users", "object", "u1"))),
        match("POST", "tenants/t/objects/users/u1/restores"));
    assertEquals(AuditAction.RESTORE_PLANNED, match("POST", "tenants/t/objects/users/u1/restore-plans")
        .orElseThrow().action());
    assertEquals(AuditAction.JOB_APPROVED, match("POST", "jobs/j/approve").orElseThrow().action());
    assertEquals(AuditAction.SETTINGS_CHANGED, match("PUT", "accounts/a/settings").orElseThrow().action());
    assertEquals(AuditAction.KEY_ROTATED, match("POST", "accounts/a/keys/k/rotate").orElseThrow().action());
    assertEquals(AuditAction.ACCOUNT_CREATED, match("POST", "accounts").orElseThrow().action());
  }

  @Test
  void readsAndUnknownPathsAreNotAudited() {
    assertEquals(Optional.empty(), match("GET", "tenants/t1"));
    assertEquals(Optional.empty(), match("GET", "tenants/t1/backups"));
    assertEquals(Optional.empty(), match("POST", "tenants/t1/backups/extra"));
    assertEquals(Optional.empty(), match("GET", "audit"));
  }

  @Test
  void aLongPathSegmentIsCutInTheTarget() {
    String noise = "x".repeat(5000);
    assertEquals(100, match("POST", "tenants/" + noise + "/backups").orElseThrow().target().get("tenant").length());
  }
}
