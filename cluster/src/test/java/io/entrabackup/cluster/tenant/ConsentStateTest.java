package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The signed state of "Sign in with Microsoft" and what is derived from it. */
class ConsentStateTest {

  private static final String OLD_KEY = "signing-key-for-tests-0123456789abcdefghij";
  private static final String NEW_KEY = "rotated-key-for-tests-0123456789abcdefghij";
  private static final SigningKeys signer = SigningKeys.single(OLD_KEY);
  private static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
  private static final ConsentState SIGN_IN = ConsentState.signIn(TenantId.parse(UUID.randomUUID().toString()),
      new AccountId("msp-a"), "nonce-1", NOW.plusSeconds(3600), signer);

  @Test
  void eachStepRoundTripsAndTheConsentStepCarriesTheSignedInDirectory() {
    assertEquals(Optional.of(SIGN_IN), ConsentState.decode(SIGN_IN.encode(signer), signer, NOW));
    ConsentState consent = SIGN_IN.consentIn("7572157c-30a1-4f71-b453-6d2950ec0fc9", signer);
    ConsentState decoded = ConsentState.decode(consent.encode(signer), signer, NOW).orElseThrow();
    assertEquals(ConsentState.Step.CONSENT, decoded.step());
    assertEquals(Optional.of("7572157c-30a1-4f71-b453-6d2950ec0fc9"), decoded.directory());
  }

  @Test
  void aStateOfTheOldFlowAnotherKeyOrAfterItsExpiryIsRefused() {
    String v1 = signer.sign("v1|" + SIGN_IN.tenantId() + "|msp-a|nonce-1|" + NOW.plusSeconds(60).getEpochSecond());
    assertTrue(ConsentState.decode(v1, signer, NOW).isEmpty());
    assertTrue(ConsentState.decode(SIGN_IN.encode(SigningKeys.single("another-key-0123456789abcdefghijklmnop")), signer,
        NOW).isEmpty());
    assertTrue(ConsentState.decode(SIGN_IN.encode(signer), signer, NOW.plusSeconds(3600)).isEmpty());
  }

  @Test
  void aConsentStepWithoutADirectoryIsNotAState() {
    String forged = signer.sign("v2|CONSENT|" + SIGN_IN.tenantId() + "|msp-a|nonce-1|"
        + NOW.plusSeconds(60).getEpochSecond() + "|");
    assertTrue(ConsentState.decode(forged, signer, NOW).isEmpty());
  }

  @Test
  void theVerifierIsSecretDerivedAndItsChallengeIsS256() throws Exception {
    String verifier = SIGN_IN.codeVerifier(signer);
    assertEquals(43, verifier.length());
    assertNotEquals(verifier, SIGN_IN.oidcNonce(signer));
    assertNotEquals(verifier, new ConsentState(SIGN_IN.step(), SIGN_IN.tenantId(),
        SIGN_IN.account(), SIGN_IN.nonce(), SIGN_IN.expiresAt(), SIGN_IN.directory(), "other")
        .codeVerifier(new SigningKeys("other", Map.of("other", "another-key-0123456789abcdefghijklmnop"))));
    String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(expected, SIGN_IN.codeChallenge(signer));
    assertTrue(verifier.matches("[A-Za-z0-9_-]+"));
  }

  @Test
  void aSignInBegunBeforeTheKeyWasRotatedFinishesWithTheVerifierItsLinkWasMadeWith() {
    String link = SIGN_IN.encode(signer);
    String challenge = SIGN_IN.codeChallenge(signer);
    String oidcNonce = SIGN_IN.oidcNonce(signer);
    SigningKeys rotated = new SigningKeys("2027-01", Map.of("default", OLD_KEY, "2027-01", NEW_KEY));

    ConsentState decoded = ConsentState.decode(link, rotated, NOW).orElseThrow();
    assertEquals("default", decoded.keyId());
    assertEquals(SIGN_IN.codeVerifier(signer), decoded.codeVerifier(rotated));
    assertEquals(challenge, decoded.codeChallenge(rotated));
    assertEquals(oidcNonce, decoded.oidcNonce(rotated));
    // The next step is signed by the new key.
    String consent = decoded.consentIn("7572157c-30a1-4f71-b453-6d2950ec0fc9", rotated).encode(rotated);
    assertTrue(consent.startsWith("2027-01."), consent);
    assertEquals("2027-01", ConsentState.decode(consent, rotated, NOW).orElseThrow().keyId());
  }

  @Test
  void aStateOfAKeyThatWasRemovedOrWithAnAlteredKeyIdIsRefused() {
    String link = SIGN_IN.encode(signer);
    SigningKeys retired = new SigningKeys("2027-01", Map.of("2027-01", NEW_KEY));
    assertTrue(ConsentState.decode(link, retired, NOW).isEmpty());

    SigningKeys both = new SigningKeys("2027-01", Map.of("default", OLD_KEY, "2027-01", NEW_KEY));
    String renamed = "2027-01" + link.substring(link.indexOf('.'));
    assertTrue(ConsentState.decode(renamed, both, NOW).isEmpty());
    String unknown = "nokey" + link.substring(link.indexOf('.'));
    assertTrue(ConsentState.decode(unknown, both, NOW).isEmpty());
  }
}
