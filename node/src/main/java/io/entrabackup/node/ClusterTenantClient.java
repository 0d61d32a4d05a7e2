package io.entrabackup.node;

import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.cluster.tenant.AdminConsent;
import io.entrabackup.cluster.tenant.DirectoryBindings;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.cluster.tenant.TenantQuota;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.RequestId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantListing;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tenant routes' view of the cluster: asks through Cluster Sharding, lists from the read model. */
final class ClusterTenantClient implements TenantClient {

  private static final Logger log = LoggerFactory.getLogger(ClusterTenantClient.class);

  private final ClusterSharding sharding;
  private final TenantOwnership ownership;
  private final TenantDirectory directory;
  private final JobStore jobs;
  private final AdminConsent adminConsent;
  private final DirectoryBindings directoryBindings;
  private final Duration askTimeout;
  private final TenantQuota quota;

  ClusterTenantClient(ActorSystem<?> system, TenantOwnership ownership, TenantDirectory directory, JobStore jobs,
      AdminConsent adminConsent, DirectoryBindings directoryBindings) {
    this.sharding = ClusterSharding.get(system);
    this.ownership = ownership;
    this.directory = directory;
    this.jobs = jobs;
    this.adminConsent = adminConsent;
    this.directoryBindings = directoryBindings;
    this.askTimeout = TenantSettings.create(system).askTimeout();
    this.quota = TenantQuota.create(system, Clock.systemUTC());
  }

  @Override
  public CompletionStage<TenantCommands.Reply> register(
      TenantId tenantId, AccountId account, String displayName, Optional<String> entraTenant) {
    // A directory already protected by another tenant is refused before anything is recorded.
    return directoryBindings.registrationRefusal(entraTenant, tenantId, account).thenCompose(refusal -> refusal
        .<CompletionStage<TenantCommands.Reply>>map(reason -> CompletableFuture.completedFuture(
            new TenantCommands.Rejected(reason)))
        .orElseGet(() -> notListedYet(account, entraTenant).thenCompose(listed -> listed
            .<CompletionStage<TenantCommands.Reply>>map(reason -> CompletableFuture.completedFuture(
                new TenantCommands.Rejected(reason)))
            .orElseGet(() -> withinQuota(tenantId, account, () -> entity(tenantId).<TenantCommands.Reply>ask(
                replyTo -> new TenantCommands.Register(account, displayName, entraTenant, replyTo), askTimeout)
                .thenCompose(reply -> listed(account, reply)))))));
  }

  /**
   * The same directory registered twice in one account is a mistake an operator wants told, not a second row: a
   * directory the account already lists (by Entra tenant id or a domain, given or verified, pending or authorized) is
   * refused naming the tenant that has it. The binding at consent (DirectoryBindings) stays what makes it certain; this
   * check reads the account's list, so two registrations racing may both pass, and the dashboard then marks the pair.
   */
  private CompletionStage<Optional<String>> notListedYet(AccountId account, Optional<String> entraTenant) {
    if (entraTenant.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return directory.tenants(account).thenApply(tenants -> TenantListing.namingDirectory(tenants, entraTenant.get())
        .map(existing -> "This Microsoft directory is already registered in your account as tenant '"
            + existing.displayName() + "' (" + existing.id() + "); use that tenant. Nothing was changed."));
  }

  /**
   * The operator's very next list shows the tenant just registered: its row is written here, before the answer, not
   * only by the projection seconds later (which writes the same cells at the same write time, TenantDirectory). If
   * Cassandra refuses this write the tenant is registered all the same (the journal holds it) and the projection
   * lists it shortly: the answer stays a success.
   */
  private CompletionStage<TenantCommands.Reply> listed(AccountId account, TenantCommands.Reply reply) {
    if (!(reply instanceof TenantCommands.Current current)) {
      return CompletableFuture.completedFuture(reply);
    }
    TenantView tenant = current.tenant();
    return directory.record(new TenantEvents.TenantRegistered(tenant.id(), account, tenant.displayName(),
            tenant.entraTenant(), tenant.registeredAt()))
        .handle((done, error) -> {
          if (error != null) {
            log.warn("Tenant {} registered; its dashboard row waits for the projection: {}", tenant.id(),
                error.getMessage());
          }
          return reply;
        });
  }

  /** Registers only with a tenant slot of the account (http-api/LIMITS.md); a refused registration gives it back. */
  private CompletionStage<TenantCommands.Reply> withinQuota(TenantId tenantId, AccountId account,
      Supplier<CompletionStage<TenantCommands.Reply>> register) {
    return quota.reserve(account, tenantId).thenCompose(reservation -> {
      if (reservation instanceof TenantQuota.Full full) {
        return CompletableFuture.completedFuture(new TenantCommands.Rejected(full.refusal()));
      }
      return register.get().thenCompose(reply -> reply instanceof TenantCommands.Rejected
          ? quota.release(account, tenantId, (TenantQuota.Reserved) reservation).thenApply(done -> reply)
          : CompletableFuture.completedFuture(reply));
    });
  }

  @Override
  public CompletionStage<TenantCommands.Reply> get(TenantId tenantId, AccountId account) {
    return ownership.tenant(account, tenantId).thenApply(view -> view
        .<TenantCommands.Reply>map(TenantCommands.Current::new)
        .orElseGet(TenantCommands.NotFound::new));
  }

  @Override
  public CompletionStage<TenantPage> list(AccountId account, TenantQuery query) {
    return directory.list(account, query);
  }

  @Override
  public CompletionStage<ActivationReply> activate(
      TenantId tenantId, AccountId account, boolean immediateBackup, Duration frequency) {
    return adminConsent.activate(tenantId, account, immediateBackup, frequency);
  }

  @Override
  public CompletionStage<TenantCommands.Reply> startBackup(TenantId tenantId, AccountId account) {
    return startBackup(tenantId, account, RequestId.generate());
  }

  @Override
  public CompletionStage<TenantCommands.Reply> startBackup(TenantId tenantId, AccountId account, String requestId) {
    return entity(tenantId).<TenantCommands.Reply>ask(replyTo -> new TenantCommands.StartBackup(account,
            BackupTrigger.MANUAL, replyTo, Optional.of(requestId)), askTimeout)
        .thenCompose(reply -> listed(account, tenantId, reply));
  }

  /** The operator's next System Status shows the backup just started: its row is written before the answer. */
  private CompletionStage<TenantCommands.Reply> listed(AccountId account, TenantId tenantId,
      TenantCommands.Reply reply) {
    if (!(reply instanceof TenantCommands.BackupAccepted accepted)) {
      return CompletableFuture.completedFuture(reply);
    }
    return jobs.announced(account, tenantId, accepted.jobId(), BackupTrigger.MANUAL).handle((done, error) -> {
      if (error != null) {
        log.warn("Backup {} of tenant {} started; its job row waits for the projection: {}", accepted.jobId(),
            tenantId, error.getMessage());
      }
      return reply;
    });
  }

  @Override
  public CompletionStage<TenantCommands.Reply> scheduleDeletion(TenantId tenantId, AccountId account,
      String requestedBy) {
    return entity(tenantId).ask(replyTo -> new TenantCommands.ScheduleDeletion(account, requestedBy, replyTo),
        askTimeout);
  }

  @Override
  public CompletionStage<TenantCommands.Reply> cancelDeletion(TenantId tenantId, AccountId account,
      String cancelledBy) {
    return entity(tenantId).ask(replyTo -> new TenantCommands.CancelDeletion(account, cancelledBy, replyTo),
        askTimeout);
  }

  @Override
  public CompletionStage<TenantCommands.Reply> checkAuthorization(TenantId tenantId, AccountId account) {
    return adminConsent.checkAuthorization(tenantId, account);
  }

  private EntityRef<TenantCommands.Command> entity(TenantId tenantId) {
    return sharding.entityRefFor(TenantEntity.ENTITY_TYPE_KEY, tenantId.value());
  }
}
