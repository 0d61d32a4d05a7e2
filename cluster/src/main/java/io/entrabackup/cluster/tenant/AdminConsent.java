package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.AsyncFailures;

import io.entrabackup.cluster.auth.HmacSigner;
import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.Organization;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.Activation;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.ConsentOutcome;
import io.entrabackup.protocol.tenant.ConsentOutcome.Kind;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Microsoft side of authorizing a tenant: Activate Backup's consent link, the admin-consent
 * callback confirmed by an app-only token and a read of {@code /organization}, and checking a tenant's
 * authorization later. The tenant entity records each outcome; this class does the I/O around it.
 */
public final class AdminConsent {

  private static final Logger log = LoggerFactory.getLogger(AdminConsent.class);
  private static final SecureRandom random = new SecureRandom();
  static final String NOT_CONFIRMED = "Microsoft does not confirm that entra-backup has consent in this directory."
      + " Nothing was changed. If the admin consented just now, open the same sign-in link again in a few minutes;"
      + " if it fails again, tell the MSP operator, who finds the reason in the entra-backup node's log.";

  private final ClusterSharding sharding;
  private final GraphAccess graph;
  private final HmacSigner signer;
  private final Clock clock;
  private final Duration consentValidity;
  private final Duration askTimeout;
  private final DirectoryBindings bindings;

  public AdminConsent(ActorSystem<?> system, GraphAccess graph, HmacSigner signer, Clock clock,
      Duration consentValidity, DirectoryBindings bindings) {
    this.sharding = ClusterSharding.get(system);
    this.graph = graph;
    this.signer = signer;
    this.clock = clock;
    this.consentValidity = consentValidity;
    this.askTimeout = TenantSettings.create(system).askTimeout();
    this.bindings = bindings;
  }

  /** Activate Backup: records a fresh single-use nonce and answers the admin-consent link carrying it. */
  public CompletionStage<ActivationReply> activate(
      TenantId tenantId, AccountId account, boolean immediateBackup, Duration frequency) {
    String nonce = randomNonce();
    Instant expiresAt = clock.instant().plus(consentValidity);
    return ask(tenantId, replyTo -> new RequestConsent(account, nonce, immediateBackup, frequency, expiresAt, replyTo))
        .thenApply(reply -> {
          if (!(reply instanceof Current current)) {
            return (ActivationReply) reply;
          }
          String state = new ConsentState(tenantId, account, nonce, expiresAt).encode(signer);
          String url = graph.adminConsentUrl(current.tenant().entraTenant(), state);
          return new ActivationReply.ConsentLink(new Activation(tenantId.value(), url, expiresAt));
        });
  }

  /** Microsoft's redirect after admin consent, or after the admin declined. */
  public CompletionStage<ConsentOutcome> completeConsent(Map<String, String> query) {
    Optional<ConsentState> decoded = ConsentState.decode(query.get("state"), signer, clock.instant());
    if (decoded.isEmpty()) {
      return outcome(Kind.INVALID_STATE, null, null,
          "The sign-in link is not one of ours, was altered, or has expired. Nothing was changed; ask the"
              + " MSP operator for a new link (Activate Backup).");
    }
    ConsentState state = decoded.get();
    if (query.containsKey("error")) {
      return refuse(state, query.get("error"), query.getOrDefault("error_description", ""));
    }
    String entraTenantId = query.get("tenant");
    // Microsoft names the directory by its GUID; anything else is a hand-made callback, refused before any call out.
    if (entraTenantId == null || !isDirectoryId(entraTenantId) || !"true".equalsIgnoreCase(query.get("admin_consent"))) {
      return outcome(Kind.INVALID_STATE, state.tenantId(), null,
          "Microsoft's answer did not say that consent was given for a tenant. Nothing was changed.");
    }
    return ask(state.tenantId(), replyTo -> new CheckConsentState(state.account(), state.nonce(), replyTo))
        .thenCompose(reply -> reply instanceof Current current
            ? confirmWithGraph(state, entraTenantId, current.tenant().entraTenant())
            : outcome(Kind.INVALID_STATE, state.tenantId(), null, reason(reply)));
  }

  private CompletionStage<ConsentOutcome> refuse(ConsentState state, String error, String description) {
    return ask(state.tenantId(), replyTo -> new RefuseConsent(state.account(), state.nonce(), error, description, replyTo))
        .thenApply(reply -> {
          if (reply instanceof Current current) {
            log.info("Tenant {}: admin consent declined ({})", state.tenantId(), error);
            return new ConsentOutcome(Kind.REFUSED, Optional.of(state.tenantId()),
                Optional.of(current.tenant().displayName()), "Consent was declined: " + error);
          }
          return new ConsentOutcome(Kind.INVALID_STATE, Optional.of(state.tenantId()), Optional.empty(), reason(reply));
        });
  }

  private CompletionStage<ConsentOutcome> confirmWithGraph(
      ConsentState state, String entraTenantId, Optional<String> registeredAs) {
    return graph.readOrganization(entraTenantId)
        .thenCompose(organization -> authorize(state, entraTenantId, registeredAs, organization))
        .exceptionally(error -> {
          Throwable cause = AsyncFailures.cause(error);
          log.warn("Tenant {}: consent could not be confirmed: {}", state.tenantId(), cause.getMessage());
          if (cause instanceof AuthorizationLostException) {
            // Microsoft answered, and refused: no consent holds in that directory (a hand-made callback's is the
            // usual case). The caller's to see as a refusal (4xx); Microsoft's wording stays in the log.
            return new ConsentOutcome(Kind.REJECTED, Optional.of(state.tenantId()), Optional.empty(), NOT_CONFIRMED);
          }
          String why = "Microsoft could not be reached to confirm the consent (" + cause.getMessage()
              + "). Nothing was changed; open the same sign-in link again in a few minutes.";
          return new ConsentOutcome(Kind.FAILED, Optional.of(state.tenantId()), Optional.empty(), why);
        });
  }

  private CompletionStage<ConsentOutcome> authorize(
      ConsentState state, String entraTenantId, Optional<String> registeredAs, Organization organization) {
    if (!organization.tenantId().equalsIgnoreCase(entraTenantId)) {
      return outcome(Kind.FAILED, state.tenantId(), null, "Microsoft answered for tenant " + organization.tenantId()
          + " when asked about " + entraTenantId + ". Nothing was changed.");
    }
    // The wrong directory for this tenant is refused before any binding is claimed for it (the entity checks again).
    Optional<String> mismatch = EntraTenantMatch.mismatch(registeredAs, organization.tenantId(),
        organization.displayName(), organization.verifiedDomains());
    if (mismatch.isPresent()) {
      return outcome(Kind.REJECTED, state.tenantId(), null, mismatch.get());
    }
    return bindings.claim(organization.tenantId(), state.tenantId(), state.account()).thenCompose(claim -> {
      if (claim instanceof DirectoryBindings.Bound bound) {
        return recordAuthorized(state, organization, bound.fresh());
      }
      log.warn("Tenant {}: consent for Entra tenant {} refused, the directory is bound to another tenant",
          state.tenantId(), organization.tenantId());
      return outcome(Kind.CONFLICT, state.tenantId(), null, claim.refusal().orElseThrow());
    });
  }

  private CompletionStage<ConsentOutcome> recordAuthorized(
      ConsentState state, Organization organization, boolean freshBinding) {
    return ask(state.tenantId(), replyTo -> new CompleteConsent(state.account(), state.nonce(), organization.tenantId(),
        organization.displayName(), organization.verifiedDomains(), replyTo))
        .thenCompose(reply -> {
          if (reply instanceof Current current) {
            log.info("Tenant {} authorized by Entra tenant {}", state.tenantId(), organization.tenantId());
            return outcome(Kind.AUTHORIZED, state.tenantId(), current.tenant().displayName(), "Authorized");
          }
          ConsentOutcome rejected =
              new ConsentOutcome(Kind.REJECTED, Optional.of(state.tenantId()), Optional.empty(), reason(reply));
          // The tenant refused: a binding this consent wrote must not hold the directory for it.
          return freshBinding
              ? bindings.release(organization.tenantId(), state.tenantId()).thenApply(done -> rejected)
              : CompletableFuture.completedFuture(rejected);
        });
  }

  /** Why a directory bound elsewhere is refused; empty when it is this tenant's. */
  /**
   * Tries an app-only token and a Graph read for an authorized tenant now. Microsoft's refusal marks the
   * tenant's authorization lost; being unable to reach Microsoft changes nothing.
   */
  public CompletionStage<Reply> checkAuthorization(TenantId tenantId, AccountId account) {
    return ask(tenantId, replyTo -> new GetTenant(account, replyTo)).thenCompose(reply -> {
      if (!(reply instanceof Current current)) {
        return CompletableFuture.completedFuture(reply);
      }
      TenantView tenant = current.tenant();
      if (tenant.status() != TenantStatus.AUTHORIZED || tenant.entraTenantId().isEmpty()) {
        return CompletableFuture.completedFuture((Reply) new Rejected(
            "Tenant " + tenantId + " is not authorized (" + tenant.status() + "); use Activate Backup first"));
      }
      String entraTenantId = tenant.entraTenantId().get();
      return graph.readOrganization(entraTenantId)
          .exceptionallyCompose(error -> retryWithFreshToken(entraTenantId, AsyncFailures.cause(error)))
          .<Reply>thenApply(organization -> reply)
          .exceptionallyCompose(error -> onCheckFailed(tenantId, account, AsyncFailures.cause(error)));
    });
  }

  /**
   * A refused call may be a cached token Microsoft no longer honours (consent revoked, clocks apart):
   * only a refusal with a fresh token counts as lost authorization.
   */
  private CompletionStage<Organization> retryWithFreshToken(String entraTenantId, Throwable cause) {
    if (!(cause instanceof AuthorizationLostException)) {
      return CompletableFuture.failedFuture(cause);
    }
    graph.tokenRejected(entraTenantId);
    return graph.readOrganization(entraTenantId);
  }

  private CompletionStage<Reply> onCheckFailed(TenantId tenantId, AccountId account, Throwable cause) {
    if (cause instanceof AuthorizationLostException lost) {
      log.warn("Tenant {}: authorization lost: {}", tenantId, lost.getMessage());
      return markLost(tenantId, account, lost.getMessage());
    }
    return CompletableFuture.completedFuture(
        new Rejected("Microsoft could not be reached to check the authorization: " + cause.getMessage()));
  }

  /** Records that Microsoft refuses this tenant's tokens or calls; the backup engine calls this too. */
  public CompletionStage<Reply> markLost(TenantId tenantId, AccountId account, String reason) {
    return ask(tenantId, replyTo -> new MarkAuthorizationLost(account, reason, replyTo));
  }

  private CompletionStage<Reply> ask(TenantId tenantId, Function<ActorRef<Reply>, TenantCommands.Command> command) {
    return sharding.entityRefFor(TenantEntity.ENTITY_TYPE_KEY, tenantId.value()).ask(command::apply, askTimeout);
  }

  private static String reason(Reply reply) {
    return reply instanceof Rejected rejected ? rejected.reason() : "No such tenant; nothing was changed.";
  }

  private static CompletionStage<ConsentOutcome> outcome(Kind kind, TenantId tenantId, String name, String message) {
    return CompletableFuture.completedFuture(
        new ConsentOutcome(kind, Optional.ofNullable(tenantId), Optional.ofNullable(name), message));
  }

  private static boolean isDirectoryId(String text) {
    try {
      return text.length() == 36 && java.util.UUID.fromString(text) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String randomNonce() {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
