package io.entrabackup.http.audit;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.ChainCheck;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/** What the API needs of the audit trail: append, list, verify, and the few facts it cannot see itself. */
public interface AuditClient {

  CompletionStage<AuditEntry> append(NewAuditRecord record);

  /** Up to {@code limit} records of {@code trail} matching {@code filter}, newest first, below {@code before}. */
  CompletionStage<Page> list(String trail, Predicate<AuditEntry> filter, Optional<Long> before, int limit);

  CompletionStage<ChainCheck> verify(String trail);

  /** True the first time (across all nodes) the key is used from {@code address}. */
  CompletionStage<Boolean> firstUseFrom(AccountId account, String keyId, String address);

  /** Whose download job this is (its account and tenant), for recording a fetch by signed link; empty if unknown. */
  CompletionStage<Optional<DownloadOwner>> downloadOwner(String jobId);

  /**
   * The account (and its tenant) a consent callback's signed state was made for, if our keys signed it; empty for
   * anything else, and in clients that cannot check states.
   */
  default Optional<StateOwner> consentStateOwner(String state) {
    return Optional.empty();
  }

  /** A page of a trail; {@code next} is the sequence to list below for the following page. */
  record Page(List<AuditEntry> entries, Optional<Long> next) {}

  record DownloadOwner(AccountId account, String tenantId) {}

  record StateOwner(AccountId account, String tenantId) {}
}
