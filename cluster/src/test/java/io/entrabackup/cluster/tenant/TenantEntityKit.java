package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import java.util.List;
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

  private final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private final List<EventSourcedBehaviorTestKit<Command, Event, TenantState>> created = new CopyOnWriteArrayList<>();

  /** The entity of {@code tenant} with these collaborators; made when the test instance is, cleared before its test. */
  EventSourcedBehaviorTestKit<Command, Event, TenantState> entity(TenantId tenant, TenantEntity.Collaborators deps) {
    var entity = EventSourcedBehaviorTestKit.<Command, Event, TenantState>create(testKit.system(),
        TenantEntity.create(tenant, deps));
    created.add(entity);
    return entity;
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
