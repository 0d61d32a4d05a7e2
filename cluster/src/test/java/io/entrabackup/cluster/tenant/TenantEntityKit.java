package io.entrabackup.cluster.tenant;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The tenant entity under Pekko's persistence test kit, for a test class ({@code @RegisterExtension static}): one
 * actor system per class, an empty journal before each test (every test uses the same tenant id, so the in-memory
 * journal would otherwise carry the previous test's events), the system stopped after the class. The test kit also
 * checks that every command, event, reply and state serializes.
 */
final class TenantEntityKit implements BeforeEachCallback, AfterAllCallback {

  private final ActorTestKit testKit;

  TenantEntityKit() {
    this(ConfigFactory.empty());
  }

  /** With these settings over the test kit's (e.g. a longer wait for a reply). */
  TenantEntityKit(Config settings) {
    this.testKit = ActorTestKit.create(settings.withFallback(EventSourcedBehaviorTestKit.config()));
  }
  private final List<EventSourcedBehaviorTestKit<Command, Event, TenantState>> created = new CopyOnWriteArrayList<>();

  /** The entity of {@code tenant} with these collaborators; made when the test instance is, cleared before its test. */
  EventSourcedBehaviorTestKit<Command, Event, TenantState> entity(TenantId tenant, TenantEntity.Collaborators deps) {
    var entity = EventSourcedBehaviorTestKit.<Command, Event, TenantState>create(testKit.system(),
        TenantEntity.create(tenant, deps));
    created.add(entity);
    return entity;
  }

  /**
   * Registers the tenant as Contoso and authorizes it through a consent asked at {@code now} (with an immediate backup
   * when {@code immediateBackup}); answers the events of the consent's completion.
   */
  static List<Event> authorize(EventSourcedBehaviorTestKit<Command, Event, TenantState> entity, AccountId account,
      boolean immediateBackup, Instant now) {
    entity.<Reply>runCommand(replyTo -> new Register(account, "Contoso", Optional.empty(), replyTo));
    entity.<Reply>runCommand(replyTo -> new RequestConsent(account, "n", immediateBackup, Duration.ofDays(1),
        now.plusSeconds(60), replyTo));
    return entity.<Reply>runCommand(replyTo -> new CompleteConsent(account, "n", "e63e151f-0dcf-4b4e-a4ea-"
        + "b57c68bf966e", "Contoso", List.of("contoso.com"), replyTo)).events();
  }

  /** {@link #authorize} with an immediate backup; answers that backup's run id. */
  static String authorizedWithBackupRunning(EventSourcedBehaviorTestKit<Command, Event, TenantState> entity,
      AccountId account, Instant now) {
    return ((BackupStarted) authorize(entity, account, true, now).get(1)).runId();
  }

  ActorTestKit testKit() {
    return testKit;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    created.forEach(EventSourcedBehaviorTestKit::clear);
    created.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    testKit.shutdownTestKit();
  }
}
