package io.entrabackup.http.audit;

import static io.entrabackup.protocol.audit.AuditAction.ACCOUNT_CREATED;
import static io.entrabackup.protocol.audit.AuditAction.ACCOUNT_REMOVED;
import static io.entrabackup.protocol.audit.AuditAction.ACTIVATION_REQUESTED;
import static io.entrabackup.protocol.audit.AuditAction.BACKUP_REQUESTED;
import static io.entrabackup.protocol.audit.AuditAction.DOWNLOAD_CREATED;
import static io.entrabackup.protocol.audit.AuditAction.JOB_APPROVED;
import static io.entrabackup.protocol.audit.AuditAction.JOB_REJECTED;
import static io.entrabackup.protocol.audit.AuditAction.KEY_CHANGED;
import static io.entrabackup.protocol.audit.AuditAction.KEY_CREATED;
import static io.entrabackup.protocol.audit.AuditAction.KEY_REVOKED;
import static io.entrabackup.protocol.audit.AuditAction.KEY_ROTATED;
import static io.entrabackup.protocol.audit.AuditAction.RESTORE_PLANNED;
import static io.entrabackup.protocol.audit.AuditAction.RESTORE_REQUESTED;
import static io.entrabackup.protocol.audit.AuditAction.RETENTION_CHANGED;
import static io.entrabackup.protocol.audit.AuditAction.RETENTION_REQUESTED;
import static io.entrabackup.protocol.audit.AuditAction.SETTINGS_CHANGED;
import static io.entrabackup.protocol.audit.AuditAction.TENANT_CHANGED;
import static io.entrabackup.protocol.audit.AuditAction.TENANT_DELETION_CANCELLED;
import static io.entrabackup.protocol.audit.AuditAction.TENANT_REGISTERED;
import static io.entrabackup.protocol.audit.AuditAction.TENANT_REMOVED;

import io.entrabackup.protocol.audit.AuditAction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which authenticated API requests the audit trail records, as one table: method and path (under {@code /api/v1},
 * {@code {name}} a segment recorded in the target under that name) to the action. Whatever the answer, the request is
 * recorded: 2xx as success, 4xx as refused, 5xx as failed, with the status. A request not in the table (every read)
 * is not recorded. Routes another change adds are listed here too, so they are audited from the day they exist.
 */
final class AuditedRequests {

  private static final List<Audited> TABLE = List.of(
      on("POST", "accounts", ACCOUNT_CREATED),
      on("DELETE", "accounts/{account}", ACCOUNT_REMOVED),
      on("POST", "accounts/{account}/keys", KEY_CREATED),
      on("DELETE", "accounts/{account}/keys/{key}", KEY_REVOKED),
      on("PUT", "accounts/{account}/keys/{key}", KEY_CHANGED),
      on("PATCH", "accounts/{account}/keys/{key}", KEY_CHANGED),
      on("POST", "accounts/{account}/keys/{key}/rotate", KEY_ROTATED),
      on("PUT", "accounts/{account}/settings", SETTINGS_CHANGED),
      on("PATCH", "accounts/{account}/settings", SETTINGS_CHANGED),
      on("PUT", "accounts/{account}/retention", RETENTION_CHANGED),
      on("POST", "tenants", TENANT_REGISTERED),
      on("PUT", "tenants/{tenant}", TENANT_CHANGED),
      on("PATCH", "tenants/{tenant}", TENANT_CHANGED),
      on("DELETE", "tenants/{tenant}", TENANT_REMOVED),
      on("POST", "tenants/{tenant}/deletion/cancel", TENANT_DELETION_CANCELLED),
      on("PUT", "tenants/{tenant}/settings", SETTINGS_CHANGED),
      on("PATCH", "tenants/{tenant}/settings", SETTINGS_CHANGED),
      on("PUT", "tenants/{tenant}/retention", RETENTION_CHANGED),
      on("POST", "tenants/{tenant}/retention/runs", RETENTION_REQUESTED),
      on("POST", "tenants/{tenant}/activation", ACTIVATION_REQUESTED),
      on("POST", "tenants/{tenant}/backups", BACKUP_REQUESTED),
      on("POST", "tenants/{tenant}/downloads", DOWNLOAD_CREATED),
      on("POST", "tenants/{tenant}/objects/{type}/{object}/restore-plans", RESTORE_PLANNED),
      on("POST", "tenants/{tenant}/objects/{type}/{object}/restores", RESTORE_REQUESTED),
      on("POST", "jobs/{job}/approve", JOB_APPROVED),
      on("POST", "jobs/{job}/reject", JOB_REJECTED));

  /** Longest value kept from a path segment: ids are shorter; anything longer is someone's noise. */
  private static final int MAX_SEGMENT = 100;

  private AuditedRequests() {}

  /** One row: {@code method path -> action}. */
  private record Audited(String method, List<String> pattern, AuditAction action) {}

  /** A request that is audited: its action, and the target its path names. */
  record Match(AuditAction action, Map<String, String> target) {}

  private static Audited on(String method, String pattern, AuditAction action) {
    return new Audited(method, List.of(pattern.split("/")), action);
  }

  /** The audited action of {@code method} on {@code segments} (the path after {@code /api/v1}), if it is one. */
  static Optional<Match> match(String method, List<String> segments) {
    for (Audited row : TABLE) {
      if (row.method().equals(method) && row.pattern().size() == segments.size()) {
        Optional<Map<String, String>> target = bind(row.pattern(), segments);
        if (target.isPresent()) {
          return Optional.of(new Match(row.action(), target.get()));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Map<String, String>> bind(List<String> pattern, List<String> segments) {
    Map<String, String> target = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String expected = pattern.get(i);
      String actual = segments.get(i);
      if (expected.startsWith("{")) {
        target.put(expected.substring(1, expected.length() - 1),
            actual.length() > MAX_SEGMENT ? actual.substring(0, MAX_SEGMENT) : actual);
      } else if (!expected.equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(target);
  }
}
