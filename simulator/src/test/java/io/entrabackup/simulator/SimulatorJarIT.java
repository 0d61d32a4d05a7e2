package io.entrabackup.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shaded jar runs stand-alone with flags and serves tokens and Graph to a client trusting its trust store. */
class SimulatorJarIT {

  @Test
  void theJarStartsWithFlagsAndServesATokenAndADeltaRound() throws Exception {
    Path jar = Path.of("target", "simulator.jar");
    assertTrue(Files.exists(jar), "package the module first");
    Path state = Files.createTempDirectory("sim-jar-it");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "--port", "0", "--users", "300", "--groups", "20", "--seed", "7", "--state-dir", state.toString(),
        "--app", "jar-app:jar-secret:https://localhost/cb", "--consent-all").redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String base = null;
      String tenant = null;
      StringBuilder seen = new StringBuilder();
      Pattern listening = Pattern.compile("listening on (https://\\S+)");
      Pattern tenantLine = Pattern.compile("Tenant:\\s+([0-9a-f-]{36})");
      for (String line = out.readLine(); line != null && (base == null || tenant == null); line = out.readLine()) {
        seen.append(line).append('\n');
        Matcher m = listening.matcher(line);
        if (m.find()) {
          base = m.group(1);
        }
        Matcher t = tenantLine.matcher(line);
        if (t.find()) {
          tenant = t.group(1);
        }
      }
      assertNotNull(base, seen.toString());
      assertNotNull(tenant, seen.toString());
      HttpClient http = HttpClient.newBuilder().sslContext(TlsMaterial.clientContext(state.resolve(TlsMaterial.TRUST_STORE),
          "changeit")).version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/" + tenant + "/oauth2/v2.0/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
              "grant_type=client_credentials&client_id=jar-app&client_secret=jar-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, token.statusCode(), token.body());
      String accessToken = SimulatorFixture.json(token.body()).get("access_token").asText();
      HttpResponse<String> delta = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.0/users/delta"))
          .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode page = SimulatorFixture.json(delta.body());
      assertEquals(200, page.get("value").size());
      assertTrue(page.get("@odata.nextLink").asText().startsWith(base + "/v1.0/users/delta?"));
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }
}
