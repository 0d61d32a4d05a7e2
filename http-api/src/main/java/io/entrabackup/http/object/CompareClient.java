package io.entrabackup.http.object;

import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.ObjectComparison;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Compares a snapshot of an object with another snapshot or with the live object (Compare on the object page). */
public interface CompareClient {

  /**
   * Version {@code from} against version {@code to}, or against the object in the directory now when {@code to} is
   * empty. Another account's tenant, and a version that is not this object's, are {@link Outcome.NotFound}.
   */
  CompletionStage<Outcome> compare(Caller caller, TenantId tenant, ObjectType type, String objectId, String from,
      Optional<String> to);

  /** What a comparison came to. */
  sealed interface Outcome {
    record Compared(ObjectComparison comparison) implements Outcome {}

    record NotFound(String detail) implements Outcome {}

    /** It cannot be made now: the tenant is not authorized (409), Microsoft refused the live read (502). */
    record Refused(int status, String detail) implements Outcome {}
  }
}
