package io.entrabackup.http.consent;

import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.ConsentOutcome;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /auth/callback}, where Microsoft sends the admin's browser after admin consent, and the
 * portal tenant page it is redirected to afterwards. Unauthenticated by nature: the signed,
 * single-use {@code state} is what binds the callback to a tenant and an account.
 */
public final class ConsentRoutes extends AllDirectives {

  private final ConsentClient consent;

  public ConsentRoutes(ConsentClient consent) {
    this.consent = consent;
  }

  public Route routes() {
    return concat(
        path(PathMatchers.segment("auth").slash("callback"), () -> get(() ->
            parameterMap(query -> onSuccess(consent.complete(Map.copyOf(query)), this::outcome)))),
        path(PathMatchers.segment("portal").slash("tenants").slash(PathMatchers.segment()), id ->
            get(() -> parameterOptional("consent", result -> complete(tenantPage(id, result.orElse("")))))));
  }

  private Route outcome(ConsentOutcome outcome) {
    return switch (outcome.kind()) {
      case AUTHORIZED -> redirect(outcome.tenantId().orElseThrow(), "authorized");
      case REFUSED -> redirect(outcome.tenantId().orElseThrow(), "refused");
      case INVALID_STATE -> complete(ConsentPages.page(StatusCodes.BAD_REQUEST,
          "This sign-in link cannot be used", outcome.message()));
      case FAILED -> complete(ConsentPages.page(StatusCodes.BAD_GATEWAY,
          "Microsoft could not confirm the consent", outcome.message()));
      case CONFLICT -> complete(ConsentPages.page(StatusCodes.CONFLICT,
          "This directory is already protected", outcome.message()));
    };
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
