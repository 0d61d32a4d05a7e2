package io.entrabackup.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.admin.AdminClient;
import io.entrabackup.simulator.tls.TlsMaterial;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shaded jar runs stand-alone with flags and serves tokens and Graph to a client trusting its trust store. */
class SimulatorJarIT {
  private static final Pattern LISTENING = Pattern.compile("listening on (https://\\S+)");
  private static final Pattern TENANT = Pattern.compile("Tenant:\\s+([0-9a-f-]{36})");

  /** A started jar: its process, base URL and first tenant (read from what it prints). */
  private record Started(Process process, String base, String tenant) {}

  private static Started startJar(Path state, String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "simulator.jar").toString(), "--port", "0", "--users", "300", "--groups", "20",
        "--seed", "7", "--state-dir", state.toString()));
    command.addAll(List.of(flags));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String base = null;
    String tenant = null;
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null && (base == null || tenant == null); line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        base = m.group(1);
      }
      Matcher t = TENANT.matcher(line);
      if (t.find()) {
        tenant = t.group(1);
      }
    }
    assertNotNull(base, seen.toString());
    assertNotNull(tenant, seen.toString());
    // Keep reading what it prints, so a full pipe never blocks it.
    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "simulator-output");
    drain.setDaemon(true);
    drain.start();
    return new Started(p, base, tenant);
  }

  private static int tokenStatus(HttpClient http, Started s, String clientId, String secret) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(s.base() + "/" + s.tenant() + "/oauth2/v2.0/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
            "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret
                + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aKilledJarWithKeepStateComesBackWithItsConsentAndItsChanges() throws Exception {
    Path state = Files.createTempDirectory("sim-jar-kept-it");
    String[] flags = {"--keep-state", "--app", "jar-app:jar-secret:https://localhost/cb"};
    Started first = startJar(state, flags);
    JsonNode changedBefore;
    String changedId;
    HttpClient http = HttpClient.newBuilder().sslContext(TlsMaterial.clientContext(state.resolve(TlsMaterial.TRUST_STORE),
        "changeit")).version(HttpClient.Version.HTTP_1_1).build();
    try {
      AdminClient admin = AdminClient.of(first.base(), state.resolve(TlsMaterial.TRUST_STORE), "changeit");
      assertEquals(400, tokenStatus(http, first, "jar-app", "jar-secret"), "not consented yet");
      admin.consent(first.tenant(), "jar-app");
      JsonNode churned = admin.churn(first.tenant(), 11, Map.of("update", "3"), Map.of());
      changedId = churned.get("usersUpdated").get(0).asText();
      changedBefore = admin.object(first.tenant(), changedId);
    } finally {
      first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs, the journal must already hold everything
      first.process().waitFor(20, TimeUnit.SECONDS);
    }
    Started second = startJar(state, flags);
    try {
      assertEquals(first.tenant(), second.tenant());
      assertEquals(200, tokenStatus(http, second, "jar-app", "jar-secret"), "the consent survived the kill");
      AdminClient admin = AdminClient.of(second.base(), state.resolve(TlsMaterial.TRUST_STORE), "changeit");
      assertEquals(changedBefore, admin.object(second.tenant(), changedId));
    } finally {
      second.process().destroy();
      second.process().waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void theJarStartsWithFlagsAndServesATokenAndADeltaRound() throws Exception {
    assertTrue(Files.exists(Path.of("target", "simulator.jar")), "package the module first");
    Path state = Files.createTempDirectory("sim-jar-it");
    Started s = startJar(state, "--app", "jar-app:jar-secret:https://localhost/cb", "--consent-all");
    try {
      HttpClient http = HttpClient.newBuilder().sslContext(TlsMaterial.clientContext(state.resolve(TlsMaterial.TRUST_STORE),
          "changeit")).version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(s.base() + "/" + s.tenant() + "/oauth2/v2.0/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
              "grant_type=client_credentials&client_id=jar-app&client_secret=jar-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, token.statusCode(), token.body());
      String accessToken = SimulatorFixture.json(token.body()).get("access_token").asText();
      HttpResponse<String> delta = http.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1.0/users/delta"))
          .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode page = SimulatorFixture.json(delta.body());
      assertEquals(200, page.get("value").size());
      assertTrue(page.get("@odata.nextLink").asText().startsWith(s.base() + "/v1.0/users/delta?"));
    } finally {
      s.process().destroy();
      s.process().waitFor(20, TimeUnit.SECONDS);
    }
  }
}
