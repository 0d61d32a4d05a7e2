package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The commands a tenant entity accepts and the replies it gives. The entity is addressed by tenant
 * id; commands from an operator carry the account, and another account's tenant is not found.
 */
public final class TenantCommands {

  private TenantCommands() {}

  public sealed interface Command extends CborSerializable
      permits Register, GetTenant, RequestConsent, CheckConsentState, CompleteConsent, RefuseConsent,
          MarkAuthorizationLost {
    ActorRef<Reply> replyTo();
  }

  /** Registers the tenant for an MSP account; names are validated by the caller and again here. */
  public record Register(
      AccountId account, String displayName, Optional<String> entraTenant, ActorRef<Reply> replyTo)
      implements Command {}

  /** Asks for the tenant as the given account sees it. */
  public record GetTenant(AccountId account, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Activate Backup: remembers a single-use consent {@code nonce} and the options the operator chose,
   * until {@code expiresAt}. A newer request replaces an older one.
   */
  public record RequestConsent(
      AccountId account,
      String nonce,
      boolean immediateBackup,
      Duration frequency,
      Instant expiresAt,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** Whether {@code nonce} is this tenant's pending, unexpired consent request; changes nothing. */
  public record CheckConsentState(AccountId account, String nonce, ActorRef<Reply> replyTo) implements Command {}

  /**
   * The admin consented and the tenant's organization was read with an app-only token: the tenant is
   * authorized with the options of the consent request {@code nonce}, which is used up.
   */
  public record CompleteConsent(
      AccountId account,
      String nonce,
      String entraTenantId,
      String organizationName,
      List<String> verifiedDomains,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** The admin declined: Microsoft's error and description are kept; {@code nonce} is used up. */
  public record RefuseConsent(
      AccountId account, String nonce, String error, String description, ActorRef<Reply> replyTo)
      implements Command {}

  /** Microsoft refuses our tokens or calls for this tenant; {@code reason} says how, for the operator. */
  public record MarkAuthorizationLost(AccountId account, String reason, ActorRef<Reply> replyTo)
      implements Command {}

  public sealed interface Reply extends CborSerializable permits Current, Rejected, NotFound {}

  /** The command was carried out (or only read); this is the tenant now. */
  public record Current(TenantView tenant) implements Reply {}

  /** The command was refused; {@code reason} is written for the operator. */
  public record Rejected(String reason) implements Reply, ActivationReply {}

  /** No such tenant in the caller's account. */
  public record NotFound() implements Reply, ActivationReply {}
}
