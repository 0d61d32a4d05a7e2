package io.entrabackup.cluster.tenant;

import com.microsoft.aad.msal4j.MsalServiceException;
import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.cluster.graph.AdminSignIn;
import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.IdTokenVerifier.IdTokenRejected;
import io.entrabackup.cluster.graph.IdTokenVerifier.NotAConsentAdministrator;
import io.entrabackup.cluster.graph.IdTokenVerifier.SignedInAdmin;
import io.entrabackup.cluster.graph.Organization;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.AsyncFailures;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.Activation;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.ConsentOutcome;
import io.entrabackup.protocol.tenant.ConsentOutcome.Kind;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.ConsentCompleted;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantRegistration;
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
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Microsoft side of authorizing a tenant: Activate Backup's "Sign in with Microsoft" link, whose first callback
 * proves which directory the admin signed in to (OpenID Connect, {@link AdminSignIn}) and sends the admin on to admin
 * consent in that directory; the admin-consent callback, accepted only for that same directory and confirmed by an
 * app-only token and a read of {@code /organization}; and checking a tenant's authorization later. The tenant entity
 * records each outcome; this class does the I/O around it. The flow, step by step: cluster/CONSENT.md.
 */
public final class AdminConsent {

  private static final Logger log = LoggerFactory.getLogger(AdminConsent.class);
  private static final SecureRandom random = new SecureRandom();
  private static final String BLOCKING_IO_DISPATCHER = "entra-backup.blocking-io-dispatcher";
  private static final String ID_TOKEN_CLOCK_SKEW = "entra-backup.auth.id-token-clock-skew";

  static final String NOT_SIGNED_IN = "This answer does not carry the administrator's sign-in with Microsoft, which"
      + " comes first. Nothing was changed; open the sign-in link from the MSP operator.";
  static final String OTHER_DIRECTORY = "This answer names another Microsoft directory than the one the administrator"
      + " signed in to. Nothing was changed.";
  static final String NOT_CONFIRMED = "Microsoft does not confirm that entra-backup has consent in this directory."
      + " Nothing was changed. If the admin consented just now, open the same sign-in link again in a few minutes;"
      + " if it fails again, tell the MSP operator, who finds the reason in the entra-backup node's log.";

  private final ClusterSharding sharding;
  private final GraphAccess graph;
  private final SigningKeys signingKeys;
  private final Clock clock;
  private final Duration consentValidity;
  private final Duration askTimeout;
  private final DirectoryBindings bindings;
  private final AdminSignIn signIn;
  private final ConsentRoles consentRoles;
  private final TenantDirectory directory;

  public AdminConsent(ActorSystem<?> system, GraphAccess graph, SigningKeys signingKeys, Clock clock,
      Duration consentValidity, DirectoryBindings bindings, TenantDirectory directory) {
    this.sharding = ClusterSharding.get(system);
    this.graph = graph;
    this.signingKeys = signingKeys;
    this.clock = clock;
    this.consentValidity = consentValidity;
    this.askTimeout = TenantSettings.create(system).askTimeout();
    this.bindings = bindings;
    this.directory = directory;
    // The token endpoint and the JWKS are blocking calls: on the same dispatcher as every other call to Microsoft.
    Executor blockingIo = system.dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_IO_DISPATCHER));
    this.consentRoles = ConsentRoles.create(system.settings().config());
    this.signIn = new AdminSignIn(graph.settings(), blockingIo, clock,
        system.settings().config().getDuration(ID_TOKEN_CLOCK_SKEW), consentRoles.templateIds());
  }

  /** Activate Backup: records a fresh single-use nonce and answers the sign-in link ("Sign in with Microsoft") carrying it. */
  public CompletionStage<ActivationReply> activate(
      TenantId tenantId, AccountId account, boolean immediateBackup, Duration frequency) {
    String nonce = randomNonce();
    Instant expiresAt = clock.instant().plus(consentValidity);
    return ask(tenantId, replyTo -> new RequestConsent(account, nonce, immediateBackup, frequency, expiresAt, replyTo))
        .thenApply(reply -> {
          if (!(reply instanceof Current current)) {
            return (ActivationReply) reply;
          }
          ConsentState state = ConsentState.signIn(tenantId, account, nonce, expiresAt, signingKeys);
          String url = signIn.authorizeUrl(current.tenant().entraTenant(), state.encode(signingKeys),
              state.oidcNonce(signingKeys), state.codeChallenge(signingKeys));
          return new ActivationReply.ConsentLink(new Activation(tenantId.value(), url, expiresAt));
        });
  }

  /**
   * The account and tenant a consent state was signed for, if one of our keys signed it, expired or not: a refused
   * callback carrying it is recorded in that account's audit trail, since only its operator could have had it.
   */
  public Optional<Map.Entry<AccountId, TenantId>> stateSignedFor(String state) {
    return Optional.ofNullable(state).flatMap(text -> ConsentState.decode(text, signingKeys, Instant.EPOCH))
        .map(decoded -> Map.entry(decoded.account(), decoded.tenantId()));
  }

  /**
   * Microsoft's redirect after the admin's sign-in (a code), after admin consent (the tenant), or after the admin
   * declined or cancelled either; the signed state says which step it must be.
   */
  public CompletionStage<ConsentOutcome> completeConsent(Map<String, String> query) {
    Optional<ConsentState> decoded = ConsentState.decode(query.get("state"), signingKeys, clock.instant());
    if (decoded.isEmpty()) {
      return outcome(Kind.INVALID_STATE, null, null,
          "The sign-in link is not one of ours, was altered, or has expired. Nothing was changed; ask the"
              + " MSP operator for a new link (Activate Backup).");
    }
    ConsentState state = decoded.get();
    if (query.containsKey("error")) {
      return refuse(state, query.get("error"), query.getOrDefault("error_description", ""));
    }
    return switch (state.step()) {
      case SIGN_IN -> continueToConsent(state, query.get("code"));
      case CONSENT -> completeInSignedInDirectory(state, query);
    };
  }

  /** The sign-in's callback: redeem the code, verify who signed in, and send the admin on to consent in that directory. */
  private CompletionStage<ConsentOutcome> continueToConsent(ConsentState state, String code) {
    if (code == null || code.isBlank()) {
      return outcome(Kind.INVALID_STATE, state.tenantId(), null, NOT_SIGNED_IN);
    }
    return ask(state.tenantId(), replyTo -> new CheckConsentState(state.account(), state.nonce(), replyTo))
        .thenCompose(reply -> {
          if (!(reply instanceof Current current)) {
            return outcome(Kind.INVALID_STATE, state.tenantId(), null, reason(reply));
          }
          return signIn.signedIn(code, state.codeVerifier(signingKeys), state.oidcNonce(signingKeys))
              .thenCompose(admin -> consentLink(state, admin, current.tenant().entraTenant()))
              .exceptionally(error -> signInFailed(state, AsyncFailures.cause(error)));
        });
  }

  private CompletionStage<ConsentOutcome> consentLink(
      ConsentState state, SignedInAdmin admin, Optional<String> registeredAs) {
    // A tenant registered by directory id: only that directory's admin may go on (a domain is checked at consent).
    if (registeredAs.filter(TenantRegistration::isDirectoryId)
        .filter(id -> !DirectoryBindings.key(id).equals(admin.directory())).isPresent()) {
      return outcome(Kind.REJECTED, state.tenantId(), null, "You signed in to directory " + admin.directory()
          + ", but this tenant is registered as " + registeredAs.get() + ". Nothing was changed; sign in with an"
          + " administrator of that directory.");
    }
    // Whether the directory is bound elsewhere is decided where it always was, when the consent is confirmed.
    String next = graph.adminConsentUrl(Optional.of(admin.directory()),
        state.consentIn(admin.directory(), signingKeys).encode(signingKeys));
    log.info("Tenant {}: an administrator of Entra tenant {} signed in; on to admin consent", state.tenantId(),
        admin.directory());
    return CompletableFuture.completedFuture(new ConsentOutcome(Kind.SIGNED_IN, Optional.of(state.tenantId()),
        Optional.empty(), "Signed in; on to Microsoft's admin consent", Optional.of(next)));
  }

  /**
   * Why the sign-in was not accepted: for the browser a sentence, for the operator a WARN with the check that failed
   * (a FAILED outcome is logged where its page is made).
   */
  private ConsentOutcome signInFailed(ConsentState state, Throwable cause) {
    if (cause instanceof NotAConsentAdministrator notAdmin) {
      return notAnAdministrator(state, notAdmin);
    }
    if (cause instanceof IdTokenRejected || cause instanceof MsalServiceException) {
      log.warn("Tenant {}: the administrator's sign-in was not accepted: {}", state.tenantId(), cause.getMessage());
      return new ConsentOutcome(Kind.INVALID_STATE, Optional.of(state.tenantId()), Optional.empty(),
          "Microsoft's sign-in could not be verified (the answer was used already, expired, or not meant for this"
              + " link). Nothing was changed; open the sign-in link again or ask the MSP operator for a new one.");
    }
    // The cause's text (hosts, MSAL's wording) is for the operator's log, not for a page anyone can reach.
    log.warn("Tenant {}: Microsoft could not be reached to confirm the sign-in", state.tenantId(), cause);
    return new ConsentOutcome(Kind.FAILED, Optional.of(state.tenantId()), Optional.empty(),
        "Microsoft could not be reached to confirm the sign-in. Nothing was changed; try the link again in a few"
            + " minutes.");
  }

  /**
   * Someone of the directory signed in who may not grant our consent (or the app registration hides their roles):
   * refused before any consent link is handed out; nothing recorded, so the rightful admin can still use the link.
   */
  private ConsentOutcome notAnAdministrator(ConsentState state, NotAConsentAdministrator cause) {
    log.warn("Tenant {}: the account that signed in may not grant consent: {}", state.tenantId(), cause.getMessage());
    String message = cause.rolesClaimMissing()
        ? "Microsoft's sign-in did not say which administrator roles this account holds, so entra-backup cannot tell"
            + " whether it may grant the consent. Nothing was changed. Please tell the MSP operator: the entra-backup"
            + " app registration must send directory roles in its tokens (its groupMembershipClaims set to"
            + " \"DirectoryRole\" or \"All\")."
        : "The account you signed in with is not a " + consentRoles.described() + " of its directory, and only"
            + " such an administrator may grant entra-backup's consent. Nothing was changed; open the sign-in link"
            + " again and sign in with such an administrator.";
    return new ConsentOutcome(Kind.NOT_AN_ADMIN, Optional.of(state.tenantId()), Optional.empty(), message);
  }

  /**
   * The admin-consent callback: its {@code tenant} must be the directory the admin proved at sign-in (the signed state
   * carries it); anything else is a hand-made or misrouted answer and changes nothing.
   */
  private CompletionStage<ConsentOutcome> completeInSignedInDirectory(ConsentState state, Map<String, String> query) {
    String directory = state.directory().orElseThrow();
    String entraTenantId = query.get("tenant");
    // Microsoft names the directory by its GUID; anything else is a hand-made callback, refused before any call out.
    if (entraTenantId == null || !isDirectoryId(entraTenantId) || !"true".equalsIgnoreCase(query.get("admin_consent"))) {
      return outcome(Kind.INVALID_STATE, state.tenantId(), null,
          "Microsoft's answer did not say that consent was given for a tenant. Nothing was changed.");
    }
    if (!DirectoryBindings.key(entraTenantId).equals(directory)) {
      log.warn("Tenant {}: a consent callback named Entra tenant {} but the administrator signed in to {}; refused",
          state.tenantId(), entraTenantId, directory);
      return outcome(Kind.INVALID_STATE, state.tenantId(), null, OTHER_DIRECTORY);
    }
    return ask(state.tenantId(), replyTo -> new CheckConsentState(state.account(), state.nonce(), replyTo))
        .thenCompose(reply -> reply instanceof Current current
            ? confirmWithGraph(state, directory, current.tenant().entraTenant())
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
          if (reply instanceof ConsentCompleted completed) {
            log.info("Tenant {} authorized by Entra tenant {}", state.tenantId(), organization.tenantId());
            return showOnDashboard(completed).thenCompose(done ->
                outcome(Kind.AUTHORIZED, state.tenantId(), completed.tenant().displayName(), "Authorized"));
          }
          ConsentOutcome rejected =
              new ConsentOutcome(Kind.REJECTED, Optional.of(state.tenantId()), Optional.empty(), reason(reply));
          // The tenant refused: a binding this consent wrote must not hold the directory for it.
          return freshBinding
              ? bindings.release(organization.tenantId(), state.tenantId()).thenApply(done -> rejected)
              : CompletableFuture.completedFuture(rejected);
        });
  }

  /**
   * The operator's next look at the dashboard shows the tenant authorized: its row is written before the admin's
   * answer, not left to the projection, which writes the same cells at the same write time later. Should Cassandra
   * refuse this write, the tenant is authorized all the same (the journal holds it) and the projection catches up.
   */
  private CompletionStage<Done> showOnDashboard(ConsentCompleted completed) {
    return directory.record(completed.authorized()).exceptionally(failure -> {
      log.warn("Tenant {} authorized; its dashboard row waits for the projection: {}", completed.tenant().id(),
          AsyncFailures.describe(failure));
      return Done.getInstance();
    });
  }

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
