package io.entrabackup.simulator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.entrabackup.simulator.SimulatorFixture;
import io.entrabackup.simulator.http.Req;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The authorize endpoint's OpenID Connect sign-in and the code redemption, with PKCE, as MSAL4J uses them. */
class SignInTest {
  @RegisterExtension
  static final SimulatorFixture f = SimulatorFixture.start();
  static final String APP = "55555555-0000-0000-0000-00000000000d";
  static final String CALLBACK = "https://backup.example.com/auth/callback";
  static final String VERIFIER = "a-code-verifier-of-at-least-forty-three-characters-0123456789";
  static final String NONCE = "n-0S6_WzA2Mj";
  /** An app registration whose groupMembershipClaims asks for directory roles, as entra-backup's does. */
  static final String APP_WITH_ROLES = "55555555-0000-0000-0000-00000000000e";

  @BeforeAll
  static void registerTheApp() {
    f.sim.registerApp(APP, "secret", List.of(CALLBACK));
    f.sim.registerApp(APP_WITH_ROLES, "secret", List.of(CALLBACK));
    f.sim.groupMembershipClaims(APP_WITH_ROLES, "DirectoryRole");
  }

  /** Signs in as {@code account} for {@code app} at the directory's authority and answers the ID token's claims. */
  private JWTClaimsSet idTokenClaims(String app, String account) throws Exception {
    HttpResponse<String> r = browse(authorizeUrl(f.tenant.id(), "&login_hint=" + SimulatorFixture.enc(account))
        .replace("client_id=" + APP, "client_id=" + app));
    assertEquals(302, r.statusCode(), r.body());
    String location = r.headers().firstValue("Location").orElseThrow();
    String code = Req.parseQuery(location.substring(location.indexOf('?') + 1)).get("code");
    Map<String, String> form = new java.util.HashMap<>(redemption(code, VERIFIER));
    form.put("client_id", app);
    JsonNode tokens = redeem(f.tenant.id(), form);
    return SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
  }

  private String authorizeUrl(String tenant, String extra) {
    return f.sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/authorize?client_id=" + APP + "&response_type=code"
        + "&redirect_uri=" + SimulatorFixture.enc(CALLBACK) + "&response_mode=query"
        + "&scope=" + SimulatorFixture.enc("openid profile") + "&state=st-1&nonce=" + NONCE
        + "&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=S256" + extra;
  }

  private HttpResponse<String> browse(String url) {
    return f.send(HttpRequest.newBuilder(URI.create(url)).build());
  }

  /** Signs in as the tenant's admin: answers the callback's query. */
  private Map<String, String> signIn(String tenant) {
    HttpResponse<String> r = browse(authorizeUrl(tenant, "&login_hint=admin@" + f.tenant.domain()));
    assertEquals(302, r.statusCode(), r.body());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith(CALLBACK + "?"), location);
    return Req.parseQuery(location.substring(location.indexOf('?') + 1));
  }

  private Map<String, String> redemption(String code, String verifier) {
    return Map.of("grant_type", "authorization_code", "client_id", APP, "client_secret", "secret", "code", code,
        "redirect_uri", CALLBACK, "code_verifier", verifier, "scope", "openid profile");
  }

  private JsonNode redeem(String tenant, Map<String, String> form) {
    return SimulatorFixture.json(f.postForm(f.sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/token", form).body());
  }

  @Test
  void msalRedeemsTheCodeForAnIdTokenSignedWithTheAdvertisedKey() throws Exception {
    Map<String, String> callback = signIn("organizations");
    assertEquals("st-1", callback.get("state"));
    ConfidentialClientApplication msal = ConfidentialClientApplication
        .builder(APP, ClientCredentialFactory.createFromSecret("secret"))
        .authority(f.sim.authority("organizations")).instanceDiscovery(false).validateAuthority(false)
        .sslSocketFactory(f.sim.sslContext().getSocketFactory()).build();

    IAuthenticationResult result = msal.acquireToken(AuthorizationCodeParameters
        .builder(callback.get("code"), URI.create(CALLBACK)).scopes(Set.of("openid", "profile"))
        .codeVerifier(VERIFIER).build()).get();

    SignedJWT idToken = SignedJWT.parse(result.idToken());
    assertEquals(JWSAlgorithm.RS256, idToken.getHeader().getAlgorithm());
    JWKSet keys = JWKSet.parse(browse(f.sim.baseUrl() + "/" + f.tenant.id() + "/discovery/v2.0/keys").body());
    RSAKey key = (RSAKey) keys.getKeyByKeyId(idToken.getHeader().getKeyID());
    assertTrue(idToken.verify(new RSASSAVerifier(key)));
    JWTClaimsSet claims = idToken.getJWTClaimsSet();
    assertEquals(f.sim.baseUrl() + "/" + f.tenant.id() + "/v2.0", claims.getIssuer());
    assertEquals(List.of(APP), claims.getAudience());
    assertEquals(f.tenant.id(), claims.getStringClaim("tid"));
    assertEquals(NONCE, claims.getStringClaim("nonce"));
    assertEquals("admin@" + f.tenant.domain(), claims.getStringClaim("preferred_username"));
    assertNotNull(claims.getStringClaim("oid"));
    assertEquals(Duration.ofHours(1), Duration.between(claims.getIssueTime().toInstant(),
        claims.getExpirationTime().toInstant()));
  }

  @Test
  void aCodeIsRedeemedOnce() {
    String code = signIn(f.tenant.id()).get("code");
    assertTrue(redeem(f.tenant.id(), redemption(code, VERIFIER)).hasNonNull("id_token"));

    JsonNode again = redeem(f.tenant.id(), redemption(code, VERIFIER));
    assertEquals("invalid_grant", again.get("error").asText());
    assertTrue(again.get("error_description").asText().startsWith("AADSTS54005"), again.toString());
  }

  @Test
  void aWrongVerifierIsRefusedAndUsesTheCodeUp() {
    String code = signIn("organizations").get("code");
    JsonNode wrong = redeem("organizations", redemption(code, VERIFIER + "x"));
    assertEquals("invalid_grant", wrong.get("error").asText());
    assertTrue(wrong.get("error_description").asText().startsWith("AADSTS501481"), wrong.toString());
    assertEquals("invalid_grant", redeem("organizations", redemption(code, VERIFIER)).get("error").asText());
  }

  @Test
  void aCodeExpiresAfterTenMinutes() {
    String code = signIn("organizations").get("code");
    f.sim.admin().advanceClock(Duration.ofMinutes(11));
    JsonNode late = redeem("organizations", redemption(code, VERIFIER));
    assertTrue(late.get("error_description").asText().startsWith("AADSTS70008"), late.toString());
  }

  @Test
  void withoutAHintTheAdminPicksAnAccountOfTheDirectory() {
    HttpResponse<String> page = browse(authorizeUrl(f.tenant.id(), ""));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("admin@" + f.tenant.domain()), page.body());
    assertTrue(browse(authorizeUrl(f.tenant.id(), "&sim_account=admin%40" + f.tenant.domain()))
        .headers().firstValue("Location").orElseThrow().contains("code="));
  }

  @Test
  void anAccountOfAnotherDirectoryCannotSignInAtATenantsAuthority() {
    HttpResponse<String> r = browse(authorizeUrl(f.tenant.id(), "&login_hint=admin@elsewhere.example"));
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("AADSTS50034"), r.body());
  }

  @Test
  void anUnregisteredRedirectUriIsShownNotFollowed() {
    HttpResponse<String> r = browse(authorizeUrl(f.tenant.id(), "").replace(SimulatorFixture.enc(CALLBACK),
        SimulatorFixture.enc("https://attacker.example/cb")));
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("AADSTS50011"), r.body());
  }

  @Test
  void theAdminsIdTokenNamesGlobalAdministratorInWidsWhenTheRegistrationAsksForDirectoryRoles() throws Exception {
    JWTClaimsSet claims = idTokenClaims(APP_WITH_ROLES, "admin@" + f.tenant.domain());
    assertEquals(List.of(SignInAccount.GLOBAL_ADMINISTRATOR, SignInAccount.USER), claims.getStringListClaim("wids"));
  }

  @Test
  void aUserWhoIsNoAdministratorSignsInWithTheUserRoleOnly() throws Exception {
    String member = f.sim.admin().memberWithoutRoles(f.tenant.id());
    JWTClaimsSet claims = idTokenClaims(APP_WITH_ROLES, member);
    assertEquals(f.tenant.id(), claims.getStringClaim("tid"));
    assertEquals(member, claims.getStringClaim("preferred_username"));
    assertEquals(List.of(SignInAccount.USER), claims.getStringListClaim("wids"));
    assertFalse(claims.getStringListClaim("wids").contains(SignInAccount.GLOBAL_ADMINISTRATOR));
    // The oid is the user's object id in the directory, as Graph names it.
    assertEquals(member, f.getJson("/users/" + claims.getStringClaim("oid")).get("userPrincipalName").asText());
  }

  @Test
  void aUserWithADirectoryRoleCarriesItsTemplateId() throws Exception {
    // The directory's own role assignments: every user holding a tenant-wide built-in role signs in with it.
    JsonNode assignments = f.getJson("/roleManagement/directory/roleAssignments");
    for (JsonNode assignment : assignments.get("value")) {
      String principal = assignment.get("principalId").asText();
      JsonNode user = f.get("/users/" + principal).statusCode() == 200 ? f.getJson("/users/" + principal) : null;
      if (user == null || !assignment.get("directoryScopeId").asText().equals("/")
          || user.get("userPrincipalName").asText().startsWith("admin@")) {
        continue;
      }
      String role = assignment.get("roleDefinitionId").asText();
      JWTClaimsSet claims = idTokenClaims(APP_WITH_ROLES, user.get("userPrincipalName").asText());
      assertTrue(claims.getStringListClaim("wids").contains(role), claims.toString());
      return;
    }
    throw new AssertionError("the directory has no tenant-wide role assignment of a user");
  }

  @Test
  void aRegistrationThatDoesNotAskForDirectoryRolesGetsNoWids() throws Exception {
    assertNull(idTokenClaims(APP, "admin@" + f.tenant.domain()).getClaim("wids"));
    assertNull(idTokenClaims(APP, f.sim.admin().memberWithoutRoles(f.tenant.id())).getClaim("wids"));
  }

  @Test
  void anUnknownUserCannotSignIn() {
    HttpResponse<String> r = browse(authorizeUrl("organizations", "&login_hint=nobody@" + f.tenant.domain()));
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("AADSTS50034"), r.body());
  }
}
