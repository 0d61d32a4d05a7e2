package io.entrabackup.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimClock;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.directory.Directory;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints the simulator's speed and memory figures: a full /users/delta crawl of a 100,000-user tenant by a plain
 * java.net.http client (default properties, then a backup-style $select), and the generation time and heap of a
 * 1,000,000-user tenant. Run: {@code java -Xmx4g -cp simulator/target/simulator.jar
 * io.entrabackup.simulator.bench.SimulatorBenchmark [--users N]}.
 */
public final class SimulatorBenchmark {
  private static final String BACKUP_SELECT = "id,displayName,givenName,surname,userPrincipalName,mail,accountEnabled,"
      + "jobTitle,department,businessPhones,mobilePhone,officeLocation,usageLocation,employeeId,onPremisesSyncEnabled,"
      + "onPremisesImmutableId,onPremisesExtensionAttributes,otherMails,proxyAddresses,userType,createdDateTime";

  private SimulatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "simulator-logback.xml");
    }
    int users = 100_000;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--users")) {
        users = Integer.parseInt(args[++i]);
      }
    }
    System.out.println("== entra-backup simulator benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB)");
    crawlBenchmark(users);
    generationBenchmark(1_000_000, 10_000);
  }

  private static void crawlBenchmark(int users) throws Exception {
    Path state = Files.createTempDirectory("sim-bench");
    SimulatorConfig config = SimulatorConfig.builder().port(0).users(users).groups(100).seed(42).stateDir(state).build();
    try (Simulator sim = Simulator.start(config)) {
      TenantInfo t = sim.tenants().get(0);
      sim.registerApp("bench-app", "bench-secret", List.of());
      sim.admin().consent(t.id(), "bench-app", null);
      HttpClient http = HttpClient.newBuilder().sslContext(sim.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
      String form = "grant_type=client_credentials&client_id=bench-app&client_secret=bench-secret&scope="
          + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
      HttpResponse<String> tok = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/" + t.id() + "/oauth2/v2.0/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      String token = Json.MAPPER.readTree(tok.body()).get("access_token").asText();
      crawl(http, token, sim.graphBaseUrl() + "/users/delta", users, "default properties");
      String deltaLink = crawl(http, token, sim.graphBaseUrl() + "/users/delta?$select=" + BACKUP_SELECT, users,
          "backup $select (21 properties)");
      long t0 = System.nanoTime();
      sim.admin().churn(t.id(), new io.entrabackup.simulator.directory.Churn.Spec(1, "1%", "0.1%", null, null, null, null, null, null));
      System.out.printf(Locale.ROOT, "  churn of 1%% updates + 0.1%% deletes: %.2f s%n", (System.nanoTime() - t0) / 1e9);
      crawl(http, token, deltaLink, users / 100 + users / 1000, "incremental round after the churn");
      System.out.println("  request log: " + sim.admin().stats().get("requests") + " requests, "
          + sim.admin().stats().get("resourceUnits") + " RU, " + sim.admin().stats().get("throttled429") + " x 429");
    }
  }

  /** Follows the links to the end; returns the deltaLink. */
  private static String crawl(HttpClient http, String token, String first, int expected, String label) throws Exception {
    long t0 = System.nanoTime();
    long objects = 0;
    long bytes = 0;
    int pages = 0;
    String url = first;
    String deltaLink = null;
    while (url != null) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("crawl failed: " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
      }
      bytes += r.body().length;
      JsonNode page = Json.MAPPER.readTree(r.body());
      objects += page.get("value").size();
      pages++;
      url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
      deltaLink = page.hasNonNull("@odata.deltaLink") ? page.get("@odata.deltaLink").asText() : deltaLink;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "  /users/delta crawl, %s: %d users (expected about %d) in %.2f s = %.0f objects/s, %d pages, %.1f MB%n",
        label, objects, expected, seconds, objects / seconds, pages, bytes / 1e6);
    return deltaLink;
  }

  private static void generationBenchmark(int users, int groups) {
    System.gc();
    long before = usedHeap();
    long t0 = System.nanoTime();
    Directory directory = new Directory(42, new SimClock());
    Tenant tenant = directory.createTenant(users, groups);
    double genSeconds = (System.nanoTime() - t0) / 1e9;
    System.gc();
    long after = usedHeap();
    System.out.printf(Locale.ROOT, "  %,d-user tenant (%,d groups, %d role assignments) generated in %.2f s; heap held by it: %.1f MiB%n",
        users, groups, tenant.roles().assignments().size(), genSeconds, (after - before) / 1048576.0);
    long t1 = System.nanoTime();
    long chars = 0;
    for (int i = 0; i < users; i++) {
      chars += tenant.properties(ObjectKind.USER, i).size();
    }
    double scanSeconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf(Locale.ROOT, "  computing every property of all %,d users once: %.2f s (%,.0f users/s, %d properties seen)%n",
        users, scanSeconds, users / scanSeconds, chars);
    long t2 = System.nanoTime();
    io.entrabackup.simulator.directory.Churn.apply(tenant, new io.entrabackup.simulator.directory.Churn.Spec(3, "10%", "1%",
        null, null, "10%", null, "1%", "1%"));
    double churnSeconds = (System.nanoTime() - t2) / 1e9;
    System.gc();
    System.out.printf(Locale.ROOT, "  churn of 10%% user updates, 1%% deletes, 10%% group updates, member changes: %.2f s; "
        + "heap held now: %.1f MiB (%,d change-log entries)%n", churnSeconds, (usedHeap() - before) / 1048576.0, tenant.seq());
    System.gc();
    System.out.printf(Locale.ROOT, "  heap used after the scan: %.1f MiB of %d MiB max%n", usedHeap() / 1048576.0,
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
