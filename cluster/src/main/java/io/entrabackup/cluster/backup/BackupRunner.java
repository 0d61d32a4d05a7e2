package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.tenant.TenantCommands;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Makes the child that carries out one backup run and reports its milestones to the tenant entity
 * ({@code TypeDone}, then {@code BackupFinished} or {@code BackupRunFailed}, in {@code TenantInternal}). Passed to
 * the entity, so its rules are tested without Graph or Cassandra.
 */
@FunctionalInterface
public interface BackupRunner {

  Behavior<?> run(BackupRunSpec spec, ActorRef<TenantCommands.Command> tenant);
}
