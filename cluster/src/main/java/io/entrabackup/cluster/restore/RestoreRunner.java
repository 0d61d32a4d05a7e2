package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Makes the child that carries out one restore and reports to the tenant entity ({@code ReportObjectRecreated},
 * then {@code RestoreFinished} or {@code RestoreRunFailed}, all in {@link TenantInternal}). Passed to the entity, so
 * its rules are tested without Graph or Cassandra.
 */
@FunctionalInterface
public interface RestoreRunner {

  Behavior<?> run(RestoreSpec spec, ActorRef<TenantCommands.Command> tenant);

  /** For entities built without restores (tests of other rules): the restore fails at once, saying so. */
  RestoreRunner UNAVAILABLE = (spec, tenant) -> Behaviors.setup(context -> {
    tenant.tell(new TenantInternal.RestoreRunFailed(spec.jobId(), "restores are not available on this node",
        GraphTraffic.NONE, context.getSystem().ignoreRef()));
    return Behaviors.stopped();
  });
}
