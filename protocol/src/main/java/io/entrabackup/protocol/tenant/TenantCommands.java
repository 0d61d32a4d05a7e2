package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/** The commands a tenant entity accepts and the replies it gives. The entity is addressed by tenant id. */
public final class TenantCommands {

  private TenantCommands() {}

  public sealed interface Command extends CborSerializable permits Register, GetTenant {}

  /** Registers the tenant for an MSP account; names are validated by the caller and again here. */
  public record Register(
      AccountId account,
      String displayName,
      Optional<String> entraTenant,
      ActorRef<RegisterReply> replyTo)
      implements Command {}

  /** Asks for the tenant as the given account sees it: another account's tenant is not found. */
  public record GetTenant(AccountId account, ActorRef<GetTenantReply> replyTo) implements Command {}

  public sealed interface RegisterReply extends CborSerializable
      permits RegistrationAccepted, RegistrationRejected {}

  public record RegistrationAccepted(TenantView tenant) implements RegisterReply {}

  /** The registration was refused; {@code reason} is written for the operator. */
  public record RegistrationRejected(String reason) implements RegisterReply {}

  public sealed interface GetTenantReply extends CborSerializable permits TenantFound, TenantNotFound {}

  public record TenantFound(TenantView tenant) implements GetTenantReply {}

  public record TenantNotFound() implements GetTenantReply {}
}
