package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.tenant.TenantCommands;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Makes the child that carries out one restore and reports to the tenant entity ({@code RestoreObjectRecreated},
 * then {@code RestoreFinished} or {@code RestoreRunFailed}). Passed to the entity, so its rules are tested without
 * Graph or Cassandra.
 */
@FunctionalInterface
public interface RestoreRunner {

  Behavior<?> run(RestoreSpec spec, ActorRef<TenantCommands.Command> tenant);

  /** For entities built without restores (tests of other rules): the restore fails at once, saying so. */
  RestoreRunner UNAVAILABLE = (spec, tenant) -> org.apache.pekko.actor.typed.javadsl.Behaviors.setup(context -> {
    tenant.tell(new TenantCommands.RestoreRunFailed(spec.jobId(), "restores are not available on this node",
        io.entrabackup.protocol.backup.GraphTraffic.NONE, context.getSystem().ignoreRef()));
    return org.apache.pekko.actor.typed.javadsl.Behaviors.stopped();
  });
}
