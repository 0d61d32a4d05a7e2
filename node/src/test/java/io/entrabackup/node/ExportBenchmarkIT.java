package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.entrabackup.node.download.ExportBenchmark;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opt-in export figure on a backed-up simulated tenant:
 * {@code mvn -o -B -pl node -am verify -Dit.test=ExportBenchmarkIT -Dexport.benchmark.users=100000 -Dtest=None
 * -Dsurefire.failIfNoSpecifiedTests=false}. Prints objects/s, MB/s and the peak heap of this JVM (node and
 * simulator together) during the export.
 */
@EnabledIfSystemProperty(named = "export.benchmark.users", matches = "\\d+")
class ExportBenchmarkIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  @Test
  void exportOfABackedUpTenant() throws Exception {
    int users = Integer.getInteger("export.benchmark.users");
    try (Simulator simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(1).users(users)
        .groups(Math.max(10, users / 100)).seed(7).stateDir(Path.of("target", "simulator-export-benchmark")).build());
         TestNode node = TestNode.start(cassandra, simulator, Clock.systemUTC(), ConfigFactory.empty())) {
      TenantInfo tenant = simulator.tenants().get(0);
      String tenantId = node.addAuthorizedTenant(simulator, tenant, TestNode.BOOTSTRAP_KEY, false);
      String backup = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/backups", "",
          TestNode.BOOTSTRAP_KEY), 202).get("jobId").asText();
      node.await(Duration.ofMinutes(30), () -> assertEquals("completed", node.ok(node.send("GET",
          "/api/v1/jobs/" + backup, null, TestNode.BOOTSTRAP_KEY), 200).get("state").asText()));
      System.gc();
      ExportBenchmark.resetPeakHeap();
      var result = ExportBenchmark.run(URI.create("http://127.0.0.1:" + node.port), TestNode.BOOTSTRAP_KEY,
          tenantId, Duration.ofMinutes(30));
      System.out.println("EXPORT-BENCHMARK " + result + "; peak heap " + ExportBenchmark.peakHeapMiB()
          + " MiB (node + simulator, -Xmx " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB)");
    }
  }
}
