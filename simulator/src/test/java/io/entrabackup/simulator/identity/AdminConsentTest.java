package io.entrabackup.simulator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.SimulatorFixture;
import io.entrabackup.simulator.http.Req;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminConsentTest {
  @RegisterExtension
  static final SimulatorFixture f = SimulatorFixture.start();
  static final String APP = "44444444-0000-0000-0000-00000000000c";
  static final String CALLBACK = "https://backup.example.com/consent";

  @BeforeAll
  static void registerTheAppThatAsksForConsent() {
    f.sim.registerApp(APP, "secret", List.of(CALLBACK));
  }

  private HttpResponse<String> consent(String tenant, String extra) {
    String url = f.sim.baseUrl() + "/" + tenant + "/v2.0/adminconsent?client_id=" + APP
        + "&scope=" + SimulatorFixture.enc("https://graph.microsoft.com/.default")
        + "&redirect_uri=" + SimulatorFixture.enc(CALLBACK) + "&state=" + SimulatorFixture.enc("st-8c1/x=") + extra;
    return f.send(HttpRequest.newBuilder(URI.create(url)).build());
  }

  private static Map<String, String> callbackQuery(HttpResponse<String> r) {
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith(CALLBACK + "?"), location);
    return Req.parseQuery(location.substring(location.indexOf('?') + 1));
  }

  @Test
  void acceptingRedirectsWithTenantAdminConsentTrueAndTheSameStateThenTokensWork() {
    assertEquals("unauthorized_client", f.tokenFor(f.tenant.id(), APP, "secret").get("error").asText());
    HttpResponse<String> r = consent("organizations", "&sim_decision=accept");
    assertEquals(302, r.statusCode());
    Map<String, String> q = callbackQuery(r);
    assertEquals(f.tenant.id(), q.get("tenant"));
    assertEquals("True", q.get("admin_consent"));
    assertEquals("st-8c1/x=", q.get("state"));
    assertTrue(f.tokenFor(f.tenant.id(), APP, "secret").hasNonNull("access_token"));
    f.sim.admin().revokeConsent(f.tenant.id(), APP);
  }

  @Test
  void refusingRedirectsWithAccessDeniedAndTheState() {
    HttpResponse<String> r = consent(f.tenant.id(), "&sim_decision=refuse");
    assertEquals(302, r.statusCode());
    Map<String, String> q = callbackQuery(r);
    assertEquals("access_denied", q.get("error"));
    assertEquals("st-8c1/x=", q.get("state"));
    assertTrue(q.get("error_description").startsWith("AADSTS65004"));
    assertNull(q.get("admin_consent"));
  }

  @Test
  void pageModeShowsAConsentPageWhoseAcceptLinkCompletesTheRoundTrip() {
    HttpResponse<String> page = consent(f.tenant.id(), "");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("Permissions requested"));
    Matcher m = Pattern.compile("id=\"accept\" href=\"([^\"]+)\"").matcher(page.body());
    assertTrue(m.find());
    String href = m.group(1).replace("&amp;", "&");
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.baseUrl() + href)).build());
    assertEquals(302, r.statusCode());
    assertEquals("True", callbackQuery(r).get("admin_consent"));
    f.sim.admin().revokeConsent(f.tenant.id(), APP);
  }

  @Test
  void withOrganizationsAndSeveralTenantsTheAdminFirstPicksAnAccountThatDecidesTheTenant() {
    try (SimulatorFixture multi = new SimulatorFixture(b -> b.tenants(3))) {
      multi.sim.registerApp(APP, "secret", List.of(CALLBACK));
      String url = multi.sim.baseUrl() + "/organizations/v2.0/adminconsent?client_id=" + APP + "&redirect_uri="
          + SimulatorFixture.enc(CALLBACK) + "&state=s1";
      HttpResponse<String> picker = multi.send(HttpRequest.newBuilder(URI.create(url)).build());
      assertTrue(picker.body().contains("Pick an account"));
      Matcher accounts = Pattern.compile("class=\"account\" href=\"([^\"]+)\"").matcher(picker.body());
      accounts.find();
      accounts.find();
      HttpResponse<String> page = multi.send(HttpRequest.newBuilder(URI.create(multi.sim.baseUrl()
          + accounts.group(1).replace("&amp;", "&"))).build());
      Matcher accept = Pattern.compile("id=\"accept\" href=\"([^\"]+)\"").matcher(page.body());
      assertTrue(accept.find());
      HttpResponse<String> done = multi.send(HttpRequest.newBuilder(URI.create(multi.sim.baseUrl()
          + accept.group(1).replace("&amp;", "&"))).build());
      assertEquals(multi.sim.tenants().get(1).id(), callbackQuery(done).get("tenant"));
    }
  }

  @Test
  void autoRefuseModeRefusesWithoutAPage() {
    f.sim.admin().consentMode("refuse");
    try {
      assertEquals("access_denied", callbackQuery(consent(f.tenant.id(), "")).get("error"));
    } finally {
      f.sim.admin().consentMode("page");
    }
  }

  @Test
  void anUnregisteredRedirectUriGetsAnErrorPageAndNoRedirect() {
    String url = f.sim.baseUrl() + "/" + f.tenant.id() + "/v2.0/adminconsent?client_id=" + APP
        + "&redirect_uri=" + SimulatorFixture.enc("https://evil.example.com/cb") + "&state=s&sim_decision=accept";
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(url)).build());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("AADSTS50011"));
    assertTrue(r.headers().firstValue("Location").isEmpty());
  }
}
