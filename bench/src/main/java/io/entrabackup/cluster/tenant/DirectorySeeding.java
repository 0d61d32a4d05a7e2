package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The dashboard benchmark's way into the tenant list's read model: an event written by {@link TenantDirectory}'s own
 * {@code record} methods, exactly as the projection writes it. It lives in the bench module (in TenantDirectory's
 * package, whose other {@code record} methods are package-private) so that the cluster module keeps its surface: the
 * benchmark's rows are the projection's rows, cell for cell, without a second copy of the statements.
 */
public final class DirectorySeeding {

  private DirectorySeeding() {}

  /** Writes the event's cells of {@code tenants_by_account}; an event the list does not show is an error. */
  public static CompletionStage<Done> record(TenantDirectory directory, Event event) {
    if (event instanceof TenantRegistered e) {
      return directory.record(e);
    } else if (event instanceof TenantAuthorized e) {
      return directory.record(e);
    } else if (event instanceof AuthorizationRefused e) {
      return directory.record(e);
    } else if (event instanceof AuthorizationLost e) {
      return directory.record(e);
    } else if (event instanceof BackupStarted e) {
      return directory.record(e);
    } else if (event instanceof BackupCompleted e) {
      return directory.record(e);
    } else if (event instanceof BackupFailed e) {
      return directory.record(e);
    }
    throw new IllegalArgumentException("not an event of the tenant list: " + event.getClass().getSimpleName());
  }
}
