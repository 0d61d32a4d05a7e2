package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.TenantId;
import java.util.Optional;

/**
 * What came of a Microsoft admin-consent callback, for the page the admin's browser lands on.
 *
 * @param message a sentence for the person in front of the browser; never a token or secret
 */
public record ConsentOutcome(Kind kind, Optional<TenantId> tenantId, Optional<String> tenantName, String message) {

  public enum Kind {
    /** Consent given and confirmed; the tenant is authorized. */
    AUTHORIZED,
    /** The admin declined; the tenant shows authorization refused. */
    REFUSED,
    /** The callback's state is unknown, forged, reused or expired: nothing was changed. */
    INVALID_STATE,
    /** Consent was given but confirming it with Microsoft failed; nothing was changed, retry later. */
    FAILED,
    /** The directory is already protected by another tenant record; nothing was changed. */
    CONFLICT,
    /**
     * Our rules refuse this consent for this tenant (another directory than the one it was registered as or is bound
     * to, a request no longer pending): the message says why, for the admin; nothing was changed.
     */
    REJECTED
  }
}
