package io.entrabackup.http.consent;

import io.entrabackup.http.limits.RequestRateLimit;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.ConsentOutcome;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /auth/callback}, where Microsoft sends the admin's browser after signing in (on to admin consent) and after
 * admin consent, and the portal tenant page it is redirected to afterwards. Unauthenticated by nature: the signed,
 * single-use {@code state} binds the callback to a tenant, an account and a step, and the directory comes from the
 * admin's verified sign-in, never from the callback's own {@code tenant} parameter.
 */
public final class ConsentRoutes extends AllDirectives {

  /** What the admin's browser shows when the consent could not be confirmed; the reason is in the node's log. */
  static final String FAILED_PAGE_TEXT = "Nothing was changed. Open the same sign-in link again in a few minutes;"
      + " if it fails again, tell the MSP operator, who finds the reason in the entra-backup node's log.";

  private static final Logger log = LoggerFactory.getLogger(ConsentRoutes.class);

  private final ConsentClient consent;

  public ConsentRoutes(ConsentClient consent) {
    this.consent = consent;
  }

  public Route routes() {
    return routes(RequestRateLimit.unlimited());
  }

  /**
   * With the callback limited per source address: each sign-in answer makes the node redeem a code at Microsoft, so a
   * stranger's flood must stop here. A browser beyond it gets a page, as for every other refusal of the callback.
   */
  public Route routes(RequestRateLimit limit) {
    return concat(
        path(PathMatchers.segment("auth").slash("callback"), () -> get(() -> limit.perAddress(
            detail -> ConsentPages.page(StatusCodes.TOO_MANY_REQUESTS, "Too many requests", detail),
            () -> parameterMap(query -> onSuccess(consent.complete(Map.copyOf(query)), this::outcome))))),
        path(PathMatchers.segment("portal").slash("tenants").slash(PathMatchers.segment()), id ->
            get(() -> parameterOptional("consent", result -> complete(tenantPage(id, result.orElse("")))))));
  }

  private Route outcome(ConsentOutcome outcome) {
    return switch (outcome.kind()) {
      case SIGNED_IN -> respondWithHeader(Location.create(outcome.continueAt().orElseThrow()),
          () -> complete(StatusCodes.FOUND));
      case AUTHORIZED -> redirect(outcome.tenantId().orElseThrow(), "authorized");
      case REFUSED -> redirect(outcome.tenantId().orElseThrow(), "refused");
      case NOT_AN_ADMIN -> complete(ConsentPages.page(StatusCodes.FORBIDDEN,
          "This account cannot grant the consent", outcome.message()));
      case INVALID_STATE -> complete(ConsentPages.page(StatusCodes.BAD_REQUEST,
          "This sign-in link cannot be used", outcome.message()));
      case FAILED -> failed(outcome);
      case CONFLICT -> complete(ConsentPages.page(StatusCodes.CONFLICT,
          "This directory is already protected", outcome.message()));
      case REJECTED -> complete(ConsentPages.page(StatusCodes.CONFLICT,
          "This consent cannot be used for this tenant", outcome.message()));
    };
  }

  /**
   * Why the confirmation failed can be the install's own configuration (a wrong client secret, say): advice for the
   * operator, not for whoever holds the link, so it goes to the node's log and the page stays generic.
   */
  private Route failed(ConsentOutcome outcome) {
    log.warn("Admin consent for tenant {} could not be confirmed: {}",
        outcome.tenantId().map(TenantId::value).orElse("?"), outcome.message());
    return complete(ConsentPages.page(StatusCodes.BAD_GATEWAY, "Microsoft could not confirm the consent",
        FAILED_PAGE_TEXT));
  }

  private Route redirect(TenantId tenantId, String result) {
    return respondWithHeader(Location.create("/portal/tenants/" + tenantId + "?consent=" + result),
        () -> complete(StatusCodes.SEE_OTHER));
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse tenantPage(String id, String result) {
    return switch (result) {
      case "authorized" -> ConsentPages.page(StatusCodes.OK, "Tenant authorized",
          "Thank you: entra-backup may now back up this tenant (" + id + "). You can close this window;"
              + " the MSP operator sees the tenant as authorized on the dashboard.",
          "/portal/#/tenants/" + id + "?consent=authorized", "Open the tenant in the entra-backup portal");
      case "refused" -> ConsentPages.page(StatusCodes.OK, "Consent declined",
          "Consent was declined, so tenant " + id + " will not be backed up. The operator can send a new"
              + " sign-in link with Activate Backup.",
          "/portal/#/tenants/" + id + "?consent=refused", "Open the tenant in the entra-backup portal");
      default -> ConsentPages.page(StatusCodes.OK, "Tenant " + id, "Open the entra-backup portal for details.",
          "/portal/#/tenants/" + id, "Open the tenant in the entra-backup portal");
    };
  }
}
