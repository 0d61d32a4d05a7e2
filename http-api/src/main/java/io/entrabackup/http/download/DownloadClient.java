package io.entrabackup.http.download;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.download.ContentAccess;
import io.entrabackup.protocol.download.DownloadAccess;
import io.entrabackup.protocol.download.DownloadSpec;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** What the download routes need from the cluster: start jobs, check signed links, read stored bytes. */
public interface DownloadClient {

  /** Starts a download of the account's tenant. */
  CompletionStage<Outcome> start(AccountId account, TenantId tenant, DownloadSpec spec);

  /**
   * Starts a download of the caller's tenant, asked for with the caller's key: where the account's four-eyes rule
   * says so, the job waits for a second key's approval.
   */
  default CompletionStage<Outcome> start(Caller caller, TenantId tenant, DownloadSpec spec) {
    return start(caller.account(), tenant, spec);
  }

  /** {@link #start(Caller, TenantId, DownloadSpec)} for the HTTP request {@code requestId}, which the job keeps. */
  default CompletionStage<Outcome> start(Caller caller, TenantId tenant, DownloadSpec spec, String requestId) {
    return start(caller, tenant, spec);
  }

  /** Checks a content link; {@code caller} is the account of an API key sent with it, if any. */
  CompletionStage<ContentAccess> open(String jobId, long expires, String signature, Optional<AccountId> caller);

  /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of a granted file. */
  Source<ByteString, NotUsed> content(ContentAccess.Granted file, long from, long to);

  /** Records an access before its bytes are sent. */
  CompletionStage<Done> audit(String jobId, DownloadAccess access);

  /** How a start went. */
  sealed interface Outcome {
    record Started(JobView job) implements Outcome {}

    /** No such tenant, object, version or run in this account: 404. */
    record NotFound(String detail) implements Outcome {}

    /** The request cannot be served as asked: 400. */
    record Invalid(String detail) implements Outcome {}

    /** The tenant may not be downloaded now (its directory is disputed): 409. */
    record Refused(String detail) implements Outcome {}
  }
}
