package io.entrabackup.cluster.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.entrabackup.cluster.graph.IdTokenVerifier.IdTokenRejected;
import io.entrabackup.cluster.graph.IdTokenVerifier.NotAConsentAdministrator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The consenting admin's ID token, forged and altered every way that matters, against nimbus-signed tokens. */
class IdTokenVerifierTest {

  private static final String LOGIN = "https://login.example";
  private static final String CLIENT = "8a4c2f1e-5b7d-4e3a-9c6f-1d2e3f4a5b6c";
  private static final String TID = "7572157c-30a1-4f71-b453-6d2950ec0fc9";
  private static final String OTHER_TID = "0d5c4a1e-1111-4222-8333-944455556666";
  private static final String NONCE = "derived-nonce";
  private static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
  private static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
  private static final String PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";
  private static final String USER = "b79fbf4d-3ef9-4689-8143-76b194e85509";
  private static final String APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
  private static final String CLOUD_APPLICATION_ADMINISTRATOR = "158c047a-c907-4556-b7ef-446551a6b5f7";

  private static RSAKey microsoftKey;
  private static RSAKey attackerKey;
  private static IdTokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    microsoftKey = new RSAKeyGenerator(2048).keyID("ms-1").generate();
    // The attacker's key claims Microsoft's key id: only the signature tells them apart.
    attackerKey = new RSAKeyGenerator(2048).keyID("ms-1").generate();
    verifier = new IdTokenVerifier(LOGIN, CLIENT, new ImmutableJWKSet<>(new JWKSet(microsoftKey.toPublicJWK())),
        Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5),
        Set.of(GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR.toUpperCase(java.util.Locale.ROOT)));
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer(LOGIN + "/" + TID + "/v2.0").audience(CLIENT).subject("pairwise-sub")
        .issueTime(Date.from(NOW.minusSeconds(10))).notBeforeTime(Date.from(NOW.minusSeconds(10)))
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))).claim("tid", TID)
        .claim("oid", "0f0e0d0c-0000-4000-8000-000000000001").claim("preferred_username", "admin@contoso.example")
        .claim("nonce", NONCE).claim("ver", "2.0").claim("wids", List.of(GLOBAL_ADMINISTRATOR, USER));
  }

  private static String token(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
        change.apply(claims()).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static void refused(String token) {
    assertThrows(IdTokenRejected.class, () -> verifier.verify(token, NONCE));
  }

  @Test
  void theAdminsTokenNamesTheDirectoryTheAdminSignedInTo() throws Exception {
    var admin = verifier.verify(token(microsoftKey, c -> c), NONCE);
    assertEquals(TID, admin.directory());
    assertEquals("admin@contoso.example", admin.username());
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefused() throws Exception {
    refused(token(attackerKey, c -> c));
  }

  @Test
  void anAlteredTokenIsRefused() throws Exception {
    String[] parts = token(microsoftKey, c -> c).split("\\.");
    String otherClaims = token(microsoftKey, c -> c.claim("tid", OTHER_TID).issuer(LOGIN + "/" + OTHER_TID + "/v2.0"))
        .split("\\.")[1];
    refused(parts[0] + "." + otherClaims + "." + parts[2]);
  }

  @Test
  void anUnsignedTokenIsRefused() {
    refused(new PlainJWT(claims().build()).serialize());
  }

  @Test
  void aTokenOfAnotherSignInIsRefused() throws Exception {
    refused(token(microsoftKey, c -> c.claim("nonce", "someone-elses-nonce")));
    refused(token(microsoftKey, c -> c.claim("nonce", null)));
  }

  @Test
  void aTokenForAnotherAppIsRefused() throws Exception {
    refused(token(microsoftKey, c -> c.audience("another-app")));
  }

  @Test
  void aTokenWhoseIssuerIsAnotherDirectoryThanItsTidIsRefused() throws Exception {
    refused(token(microsoftKey, c -> c.claim("tid", OTHER_TID)));
    refused(token(microsoftKey, c -> c.issuer("https://attacker.example/" + TID + "/v2.0")));
    refused(token(microsoftKey, c -> c.claim("tid", "contoso.example").issuer(LOGIN + "/contoso.example/v2.0")));
  }

  @Test
  void anExpiredOrNotYetValidTokenIsRefusedBeyondTheAllowedSkew() throws Exception {
    refused(token(microsoftKey, c -> c.expirationTime(Date.from(NOW.minus(Duration.ofMinutes(6))))));
    refused(token(microsoftKey, c -> c.notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(6))))));
    assertEquals(TID, verifier.verify(token(microsoftKey,
        c -> c.expirationTime(Date.from(NOW.minus(Duration.ofMinutes(4))))), NONCE).directory());
  }

  @Test
  void noTokenIsRefused() {
    assertTrue(assertThrows(IdTokenRejected.class, () -> verifier.verify(null, NONCE)).getMessage().contains("no ID"));
    refused("not.a.token");
  }

  @Test
  void aPrivilegedRoleAdministratorMayGoOnToConsentAndCaseDoesNotMatter() throws Exception {
    assertEquals(TID, verifier.verify(token(microsoftKey,
        c -> c.claim("wids", List.of(USER, PRIVILEGED_ROLE_ADMINISTRATOR))), NONCE).directory());
    assertEquals(TID, verifier.verify(token(microsoftKey,
        c -> c.claim("wids", List.of(GLOBAL_ADMINISTRATOR.toUpperCase(java.util.Locale.ROOT)))), NONCE).directory());
  }

  @Test
  void aUserOfTheDirectoryWhoIsNoConsentAdministratorIsRefused() throws Exception {
    for (List<String> roles : List.<List<String>>of(List.of(USER), List.of(), List.of(USER, APPLICATION_ADMINISTRATOR),
        List.of(CLOUD_APPLICATION_ADMINISTRATOR), List.of("not-a-role"))) {
      NotAConsentAdministrator refused = assertThrows(NotAConsentAdministrator.class,
          () -> verifier.verify(token(microsoftKey, c -> c.claim("wids", roles)), NONCE), roles.toString());
      assertFalse(refused.rolesClaimMissing());
    }
  }

  @Test
  void aTokenWithoutRolesIsRefusedAsTheAppRegistrationsSetting() throws Exception {
    NotAConsentAdministrator refused = assertThrows(NotAConsentAdministrator.class,
        () -> verifier.verify(token(microsoftKey, c -> c.claim("wids", null)), NONCE));
    assertTrue(refused.rolesClaimMissing());
    assertTrue(refused.getMessage().contains("groupMembershipClaims"), refused.getMessage());
  }

  @Test
  void rolesThatAreNotAListAreRefused() throws Exception {
    refused(token(microsoftKey, c -> c.claim("wids", GLOBAL_ADMINISTRATOR)));
    refused(token(microsoftKey, c -> c.claim("wids", 62)));
  }

  @Test
  void theRolesOfAForgedOrAlteredTokenAreNeverLookedAt() throws Exception {
    // An attacker's own token claiming Global Administrator is refused for its signature, not accepted for its roles.
    IdTokenRejected forged = assertThrows(IdTokenRejected.class, () -> verifier.verify(token(attackerKey, c -> c), NONCE));
    assertFalse(forged instanceof NotAConsentAdministrator);
    // A non-admin's genuine token with Global Administrator spliced into its claims breaks the signature.
    String[] parts = token(microsoftKey, c -> c.claim("wids", List.of(USER))).split("\\.");
    String promoted = token(microsoftKey, c -> c).split("\\.")[1];
    IdTokenRejected altered = assertThrows(IdTokenRejected.class,
        () -> verifier.verify(parts[0] + "." + promoted + "." + parts[2], NONCE));
    assertFalse(altered instanceof NotAConsentAdministrator);
  }
}
