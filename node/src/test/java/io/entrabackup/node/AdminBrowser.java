package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrabackup.simulator.Simulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A tenant admin's browser: trusts the simulator's certificate and follows no redirect by itself. */
final class AdminBrowser {

  private final HttpClient http;

  AdminBrowser(Simulator simulator) {
    this.http = HttpClient.newBuilder().sslContext(simulator.sslContext())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** At the consent page, deciding ({@code accept} or {@code refuse}); answers where Microsoft sends it back. */
  String decides(String consentUrl, String decision) throws Exception {
    var response = follow(consentUrl + "&sim_decision=" + decision);
    assertEquals(302, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  HttpResponse<String> follow(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
