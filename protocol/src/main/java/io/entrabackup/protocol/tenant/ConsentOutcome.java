package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.TenantId;
import java.util.Optional;

/**
 * What came of a Microsoft callback of "Sign in with Microsoft" (the admin's sign-in, then admin consent), for the
 * page the admin's browser lands on.
 *
 * @param message a sentence for the person in front of the browser; never a token or secret
 * @param continueAt for {@link Kind#SIGNED_IN}: Microsoft's admin-consent URL the browser goes on to
 */
public record ConsentOutcome(Kind kind, Optional<TenantId> tenantId, Optional<String> tenantName, String message,
                             Optional<String> continueAt) {

  /** An outcome that ends the flow (every kind but {@link Kind#SIGNED_IN}). */
  public ConsentOutcome(Kind kind, Optional<TenantId> tenantId, Optional<String> tenantName, String message) {
    this(kind, tenantId, tenantName, message, Optional.empty());
  }

  public enum Kind {
    /** The admin's sign-in was verified; the browser goes on to admin consent at {@code continueAt}. */
    SIGNED_IN,
    /**
     * Who signed in holds none of the directory roles that may grant our consent (or the token does not say):
     * nothing was changed, the link stays usable for an administrator.
     */
    NOT_AN_ADMIN,
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
