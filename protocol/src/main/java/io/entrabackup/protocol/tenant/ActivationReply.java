package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.api.Activation;

/** What Activate Backup answers: the consent link, or why there is none. */
public sealed interface ActivationReply
    permits ActivationReply.ConsentLink, TenantCommands.Rejected, TenantCommands.NotFound {

  record ConsentLink(Activation activation) implements ActivationReply {}
}
