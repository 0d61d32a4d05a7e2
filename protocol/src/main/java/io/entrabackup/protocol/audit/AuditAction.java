package io.entrabackup.protocol.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a record of the audit trail says happened. Stored and answered by its API name ({@code key.created}); a name
 * is part of the stored, hash-chained record, so it never changes meaning once written.
 */
public enum AuditAction {
  ACCOUNT_CREATED("account.created"),
  KEY_CREATED("key.created"),
  KEY_REVOKED("key.revoked"),
  KEY_ROTATED("key.rotated"),
  KEY_CHANGED("key.changed"),
  /** A key was used from an address it had never been used from. */
  KEY_USED_FROM_NEW_ADDRESS("key.used-from-new-address"),
  SETTINGS_CHANGED("settings.changed"),
  TENANT_REGISTERED("tenant.registered"),
  TENANT_CHANGED("tenant.changed"),
  /** Offboarding: the tenant's deletion was scheduled (its data goes when the grace period ends). */
  TENANT_REMOVED("tenant.removed"),
  /** Offboarding undone within the grace period. */
  TENANT_DELETION_CANCELLED("tenant.deletion-cancelled"),
  /** An install administrator deleted an account: each of its tenants' deletion was scheduled. */
  ACCOUNT_REMOVED("account.removed"),
  /** Activate Backup: a consent link was asked for. */
  ACTIVATION_REQUESTED("tenant.activation-requested"),
  /** The directory's admin consented and it was confirmed: the tenant is authorized. */
  CONSENT_COMPLETED("tenant.consent-completed"),
  /** The directory's admin declined. */
  CONSENT_REFUSED("tenant.consent-refused"),
  /** A consent callback that we refused (unknown or forged state, another account's directory, ...). */
  CONSENT_CALLBACK_REFUSED("tenant.consent-callback-refused"),
  /** Microsoft stopped honouring the consent (revoked, app removed) during a backup. */
  CONSENT_LOST("tenant.consent-lost"),
  /**
   * The tenant's directory is claimed by another tenant too (both authorized before directory bindings existed), or
   * now held by another: backups, downloads and restores stopped until the tenant consents again.
   */
  DIRECTORY_DISPUTED("tenant.directory-disputed"),
  BACKUP_REQUESTED("backup.requested"),
  DOWNLOAD_CREATED("download.created"),
  DOWNLOAD_FETCHED("download.fetched"),
  RESTORE_PLANNED("restore.planned"),
  RESTORE_REQUESTED("restore.requested"),
  /** A second key approved a job waiting for approval (four-eyes). */
  JOB_APPROVED("job.approved"),
  JOB_REJECTED("job.rejected"),
  /** A job waiting for approval was not decided in its window and expired, having written nothing. */
  JOB_EXPIRED("job.expired"),
  /** A restore ran to its end (outcome success) or failed. */
  RESTORE_RUN("restore.run"),
  /** An account's or a tenant's retention (how long versions are kept) was set. */
  RETENTION_CHANGED("retention.changed"),
  /** A retention pass was asked for through the API. */
  RETENTION_REQUESTED("retention.requested"),
  /** A retention pass pruned a tenant's old versions (its figures in the target). */
  RETENTION_RUN("retention.run"),
  /** Many failed authentications from one address within a window, recorded once per window. */
  AUTHENTICATION_FAILURES("auth.failed-burst");

  private final String apiName;

  AuditAction(String apiName) {
    this.apiName = apiName;
  }

  @JsonValue
  public String apiName() {
    return apiName;
  }

  public static Optional<AuditAction> fromApiName(String name) {
    return Arrays.stream(values()).filter(action -> action.apiName.equals(name)).findFirst();
  }

  @JsonCreator
  static AuditAction parse(String name) {
    return fromApiName(name).orElseThrow(() -> new IllegalArgumentException("unknown audit action " + name));
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(AuditAction::apiName).toList();
  }
}
