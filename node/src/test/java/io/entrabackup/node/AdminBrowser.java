package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.TenantInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A tenant admin's browser through "Sign in with Microsoft": signs in at the link as an administrator of a directory
 * (the simulator's {@code admin@<domain>}), follows our sign-in callback on to Microsoft's admin consent, and decides
 * there. Trusts the simulator's certificate and follows no redirect by itself.
 */
final class AdminBrowser {

  private final HttpClient http;
  private final Simulator simulator;

  AdminBrowser(Simulator simulator) {
    this.simulator = simulator;
    this.http = HttpClient.newBuilder().sslContext(simulator.sslContext())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * Signs in at the link as the admin of the directory the link names (the simulator's first directory when it names
   * none), then decides at the consent page ({@code accept} or {@code refuse}); answers where Microsoft sends the
   * browser back after consent.
   */
  String decides(String signInUrl, String decision) throws Exception {
    return decidesAs(directoryOf(signInUrl), signInUrl, decision);
  }

  /** As {@link #decides}, signed in as the admin of {@code directory}. */
  String decidesAs(TenantInfo directory, String signInUrl, String decision) throws Exception {
    var toConsent = follow(signedIn(directory, signInUrl));
    assertEquals(302, toConsent.statusCode(), toConsent.body());
    String consentPage = toConsent.headers().firstValue("Location").orElseThrow();
    assertTrue(consentPage.startsWith(simulator.baseUrl() + "/" + directory.id() + "/v2.0/adminconsent?"), consentPage);
    var response = follow(consentPage + "&sim_decision=" + decision);
    assertEquals(302, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  /**
   * The whole journey with {@code accept}: answers what our node finally answered, whether it refused at the sign-in
   * callback or at the consent callback.
   */
  HttpResponse<String> consents(String signInUrl) throws Exception {
    TenantInfo directory = directoryOf(signInUrl);
    var afterSignIn = follow(signedIn(directory, signInUrl));
    if (afterSignIn.statusCode() != 302) {
      return afterSignIn;
    }
    var consent = follow(afterSignIn.headers().firstValue("Location").orElseThrow() + "&sim_decision=accept");
    assertEquals(302, consent.statusCode(), consent.body());
    return follow(consent.headers().firstValue("Location").orElseThrow());
  }

  /** Signs in at the link as the admin of {@code directory}: answers our sign-in callback (with Microsoft's code). */
  String signedIn(TenantInfo directory, String signInUrl) throws Exception {
    return signedInAs("admin@" + directory.domain(), signInUrl);
  }

  /**
   * Signs in at the link as the account {@code userPrincipalName} (any user of a directory, an administrator or not):
   * answers our sign-in callback (with Microsoft's code).
   */
  String signedInAs(String userPrincipalName, String signInUrl) throws Exception {
    var response = follow(signInUrl + "&login_hint=" + URLEncoder.encode(userPrincipalName, StandardCharsets.UTF_8));
    assertEquals(302, response.statusCode(), response.body());
    String callback = response.headers().firstValue("Location").orElseThrow();
    assertTrue(callback.contains("code="), callback);
    return callback;
  }

  HttpResponse<String> follow(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The directory whose authority the link signs in at; the first for {@code organizations}. */
  private TenantInfo directoryOf(String signInUrl) {
    String authority = signInUrl.substring(simulator.baseUrl().length() + 1).split("/")[0];
    return simulator.tenants().stream()
        .filter(t -> t.id().equalsIgnoreCase(authority) || t.domain().equalsIgnoreCase(authority))
        .findFirst().orElse(simulator.tenants().get(0));
  }
}
