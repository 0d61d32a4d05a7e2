package io.entrabackup.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole deployment for an end-to-end test class, as a JUnit 5 extension: the class's own Cassandra keyspace
 * ({@link TestCassandra}), an in-process simulator standing in for Microsoft, a node on both, and, when asked, the
 * simulator's first tenant added under the bootstrap account and authorized through the consent page. Started before
 * the class's first test (and before its {@code @BeforeAll} methods), stopped after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDeployment deployment =
 *     TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(40).groups(6).seed(11))
 *         .withAuthorizedTenant();
 * }</pre>
 */
final class TestDeployment implements BeforeAllCallback, AfterAllCallback {

  static final String KEY = TestNode.BOOTSTRAP_KEY;
  private static final Path TARGET = Path.of("target");

  private final TestCassandra cassandra = new TestCassandra();
  private final SimulatorConfig.Builder directory;
  private boolean authorizeFirstTenant;
  private Consumer<Simulator> beforeAuthorizing = simulator -> { };
  private Clock nodeClock = Clock.systemUTC();
  private Config nodeSettings = ConfigFactory.empty();

  private Simulator simulator;
  private TestNode node;
  private TenantInfo tenant;
  private String tenantId;

  private TestDeployment(SimulatorConfig.Builder directory) {
    this.directory = directory;
  }

  /** A deployment whose Microsoft is a simulator of {@code directory} (port and state directory are set here). */
  static TestDeployment simulating(SimulatorConfig.Builder directory) {
    return new TestDeployment(directory);
  }

  /** Adds and authorizes the simulator's first tenant once the node runs: {@link #tenant()}, {@link #tenantId()}. */
  TestDeployment withAuthorizedTenant() {
    this.authorizeFirstTenant = true;
    return this;
  }

  /** Something to do to the simulator between the node's start and the first tenant's consent. */
  TestDeployment beforeAuthorizing(Consumer<Simulator> step) {
    this.beforeAuthorizing = step;
    return this;
  }

  /** The node's clock (the system's by default). */
  TestDeployment nodeClock(Clock clock) {
    this.nodeClock = clock;
    return this;
  }

  /** Settings over the node's defaults, in HOCON. */
  TestDeployment nodeSettings(String hocon) {
    this.nodeSettings = ConfigFactory.parseString(hocon);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cassandra.beforeAll(context);
    // A fresh state directory: what one run's simulator kept is not the next run's starting point.
    Files.createDirectories(TARGET);
    Path state = Files.createTempDirectory(TARGET, "simulator-" + context.getRequiredTestClass().getSimpleName() + "-");
    simulator = Simulator.start(directory.port(0).stateDir(state).build());
    node = startNode();
    if (authorizeFirstTenant) {
      tenant = simulator.tenants().get(0);
      beforeAuthorizing.accept(simulator);
      tenantId = addAuthorizedTenant(tenant);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      try {
        if (simulator != null) {
          simulator.close();
        }
      } finally {
        cassandra.afterAll(context);
      }
    }
  }

  /**
   * Stops the node in the middle of whatever it does (its entities' journals stay as they were), runs
   * {@code whileStopped} while no node runs, and starts a new node on the same keyspace and simulator: the next node
   * must pick the work up.
   */
  void restartNode(Runnable whileStopped) throws Exception {
    node.close();
    node = null;
    whileStopped.run();
    node = startNode();
  }

  /** Adds {@code entraTenant} under the bootstrap account and authorizes it, no backup right away; our tenant id. */
  String addAuthorizedTenant(TenantInfo entraTenant) throws Exception {
    return node.addAuthorizedTenant(simulator, entraTenant, KEY, false);
  }

  Simulator simulator() {
    return simulator;
  }

  /** The running node (a new one after {@link #restartNode}). */
  TestNode node() {
    return node;
  }

  TestCassandra cassandra() {
    return cassandra;
  }

  /** The simulator's tenant {@link #withAuthorizedTenant()} authorized. */
  TenantInfo tenant() {
    return tenant;
  }

  /** Our id of {@link #tenant()}. */
  String tenantId() {
    return tenantId;
  }

  /** The authorized tenant's backups, read through the running node. */
  BackedUpDirectory backups() {
    return backupsOf(tenant, tenantId);
  }

  /** The backups of another tenant this test authorized, read through the running node. */
  BackedUpDirectory backupsOf(TenantInfo entraTenant, String ourTenantId) {
    return new BackedUpDirectory(node, simulator, entraTenant.id(), ourTenantId, KEY);
  }

  /** The authorized tenant's restores, through the running node. */
  TenantRestores restores() {
    return new TenantRestores(node, tenantId, KEY);
  }

  /** The authorized tenant's directory, changed and read through the simulator's Graph as its admin would. */
  SimulatorGraph graph() {
    return new SimulatorGraph(simulator, tenant.id());
  }

  private TestNode startNode() throws Exception {
    return TestNode.start(cassandra, simulator, nodeClock, nodeSettings);
  }
}
