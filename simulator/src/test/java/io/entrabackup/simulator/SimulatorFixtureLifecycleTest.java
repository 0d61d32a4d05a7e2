package io.entrabackup.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fixture in a static field serves the whole class; one in an instance field serves one test and then stops. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatorFixtureLifecycleTest {
  @RegisterExtension
  static final SimulatorFixture shared = new SimulatorFixture(b -> b.users(5).groups(1));
  static final List<SimulatorFixture> sharedSeen = new ArrayList<>();
  static final List<SimulatorFixture> ownSeen = new ArrayList<>();

  @RegisterExtension
  final SimulatorFixture own = new SimulatorFixture(b -> b.users(5).groups(1));

  @Test
  @Order(1)
  void bothServeTheFirstTest() {
    assertServes(shared);
    assertServes(own);
    sharedSeen.add(shared);
    ownSeen.add(own);
  }

  @Test
  @Order(2)
  void theNextTestHasTheSameSharedSimulatorAndAFreshOwnOneWhileTheLastOwnOneIsStopped() {
    assertEquals(1, ownSeen.size(), "runs after the first test");
    assertServes(shared);
    assertEquals(List.of(shared), sharedSeen);
    assertServes(own);
    assertNotSame(ownSeen.get(0), own);
    int stoppedPort = ownSeen.get(0).sim.port();
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", stoppedPort).close());
  }

  private static void assertServes(SimulatorFixture f) {
    assertEquals(200, f.get("/users?$top=1").statusCode());
  }
}
