package io.entrabackup.protocol.download;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.approval.ApprovalDecision;
import java.time.Instant;
import java.util.Optional;

/**
 * A download job entity's persisted events: a schema. Add fields compatibly (optional, with a
 * default); never reuse a name for a new meaning; anything else goes through a {@code JacksonMigration}.
 */
public final class DownloadEvents {

  private DownloadEvents() {}

  public sealed interface Event extends CborSerializable
      permits DownloadRequested, BuildStarted, DownloadPublished, DownloadFailed, DownloadApprovalRequested,
          DownloadApprovalDecided {
    String jobId();

    AccountId account();
  }

  public record DownloadRequested(String jobId, AccountId account, TenantLabel tenant, DownloadSpec spec,
      Instant requestedAt, Optional<String> requestId) implements Event {

    /** {@code requestId}: the HTTP request that asked (absent in events from before it was kept). */
    public DownloadRequested {
      requestId = requestId == null ? Optional.empty() : requestId;
    }

    public DownloadRequested(String jobId, AccountId account, TenantLabel tenant, DownloadSpec spec,
        Instant requestedAt) {
      this(jobId, account, tenant, spec, requestedAt, Optional.empty());
    }
  }

  /** Attempt {@code attempt} (from 1) of building the ZIP began, on whichever node holds the job now. */
  public record BuildStarted(String jobId, AccountId account, int attempt, Instant startedAt) implements Event {}

  /** Every chunk is stored: the download is ready until {@code expiresAt}. */
  public record DownloadPublished(String jobId, AccountId account, BuiltFile file, Instant publishedAt,
      Instant expiresAt) implements Event {}

  public record DownloadFailed(String jobId, AccountId account, String reason, Instant failedAt) implements Event {}

  /**
   * Four-eyes: the download was asked for by key {@code requestedBy} and waits for a second key's approval until
   * {@code expiresAt}; nothing is built until then. {@code reason} says which rule of the account made it wait.
   */
  public record DownloadApprovalRequested(String jobId, AccountId account, TenantLabel tenant, DownloadSpec spec,
      String requestedBy, String reason, Instant requestedAt, Instant expiresAt) implements Event {}

  /**
   * The waiting download was decided: {@code approved} by key {@code decidedBy} (a {@link DownloadRequested} and its
   * build follow), {@code rejected} by it, or {@code expired} (no key) when nobody decided in time.
   */
  public record DownloadApprovalDecided(String jobId, AccountId account,
      ApprovalDecision decision, Optional<String> decidedBy, Instant decidedAt)
      implements Event {}
}
