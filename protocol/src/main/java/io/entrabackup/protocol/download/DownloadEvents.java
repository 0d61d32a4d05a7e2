package io.entrabackup.protocol.download;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import java.time.Instant;

/**
 * A download job entity's persisted events: a schema. Add fields compatibly (optional, with a
 * default); never reuse a name for a new meaning; anything else goes through a {@code JacksonMigration}.
 */
public final class DownloadEvents {

  private DownloadEvents() {}

  public sealed interface Event extends CborSerializable
      permits DownloadRequested, BuildStarted, DownloadPublished, DownloadFailed {
    String jobId();

    AccountId account();
  }

  public record DownloadRequested(String jobId, AccountId account, TenantLabel tenant, DownloadSpec spec,
      Instant requestedAt) implements Event {}

  /** Attempt {@code attempt} (from 1) of building the ZIP began, on whichever node holds the job now. */
  public record BuildStarted(String jobId, AccountId account, int attempt, Instant startedAt) implements Event {}

  /** Every chunk is stored: the download is ready until {@code expiresAt}. */
  public record DownloadPublished(String jobId, AccountId account, BuiltFile file, Instant publishedAt,
      Instant expiresAt) implements Event {}

  public record DownloadFailed(String jobId, AccountId account, String reason, Instant failedAt) implements Event {}
}
