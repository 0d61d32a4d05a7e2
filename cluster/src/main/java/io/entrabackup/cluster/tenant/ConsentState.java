package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code state} of one step of "Sign in with Microsoft": which tenant and account it is for, its single-use nonce
 * (the tenant entity remembers the one pending), when it expires, which step it belongs to, and, for the consent step,
 * the directory the admin proved by signing in. Signed, so a forged or altered state is recognised without asking
 * anyone; the PKCE verifier and the OpenID Connect nonce are derived from it with the signing key, so no node stores
 * anything between the steps and any node can finish the flow. {@code keyId} names the signing key that signed it
 * (the current one for a state made here): its verifier and nonce are derived with that same key, so a sign-in begun
 * before the signing key was rotated finishes after it.
 */
record ConsentState(Step step, TenantId tenantId, AccountId account, String nonce, Instant expiresAt,
                    Optional<String> directory, String keyId) {

  /** The two round trips to Microsoft, in order. */
  enum Step {
    /** The admin signs in (authorization code flow); the callback carries a code. */
    SIGN_IN,
    /** The admin grants admin consent in the directory of {@link #directory()}; the callback carries the tenant. */
    CONSENT
  }

  /** v1 states (before the sign-in step) are refused: they were issued by the flow that trusted the callback. */
  private static final String VERSION = "v2";
  private static final String SEPARATOR = "|";

  /** The state Activate Backup's link starts with. */
  static ConsentState signIn(TenantId tenantId, AccountId account, String nonce, Instant expiresAt,
      SigningKeys keys) {
    return new ConsentState(Step.SIGN_IN, tenantId, account, nonce, expiresAt, Optional.empty(),
        keys.currentKeyId());
  }

  /** The same request, moved on to admin consent in the directory the admin signed in to, signed by the current key. */
  ConsentState consentIn(String signedInDirectory, SigningKeys keys) {
    return new ConsentState(Step.CONSENT, tenantId, account, nonce, expiresAt, Optional.of(signedInDirectory),
        keys.currentKeyId());
  }

  /** Signed with the current key (only a state made here, whose keyId is that key, is ever encoded). */
  String encode(SigningKeys keys) {
    return keys.sign(String.join(SEPARATOR, VERSION, step.name(), tenantId.value(), account.value(), nonce,
        Long.toString(expiresAt.getEpochSecond()), directory.orElse("")));
  }

  /**
   * The PKCE code verifier of this request's sign-in: the signing key's MAC of the nonce (43 base64url characters, as
   * RFC 7636 asks), secret to whoever lacks the key although the state itself is readable.
   */
  String codeVerifier(SigningKeys keys) {
    return macOf("pkce" + SEPARATOR + nonce, keys);
  }

  /** Its S256 code challenge, sent in the authorize request. */
  String codeChallenge(SigningKeys keys) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(codeVerifier(keys).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The OpenID Connect nonce the ID token must carry: ties the token to this request. */
  String oidcNonce(SigningKeys keys) {
    return macOf("oidc-nonce" + SEPARATOR + nonce, keys);
  }

  /** The state, when intact, signed by a key of {@code keys}, and not expired at {@code now}. */
  static Optional<ConsentState> decode(String text, SigningKeys keys, Instant now) {
    return keys.verify(text).flatMap(signed -> parse(signed.text(), signed.keyId()))
        .filter(state -> now.isBefore(state.expiresAt()));
  }

  // The MAC of the state's own key (found: it signed this state, or it is the current key). The prefixes keep these
  // values apart from every state and link the same key signs.
  private String macOf(String text, SigningKeys keys) {
    return keys.mac(keyId, text).orElseThrow(() -> new IllegalStateException("signing key " + keyId + " is gone"));
  }

  private static Optional<ConsentState> parse(String payload, String keyId) {
    String[] parts = payload.split("\\|", -1);
    if (parts.length != 7 || !VERSION.equals(parts[0])) {
      return Optional.empty();
    }
    try {
      Step step = Step.valueOf(parts[1]);
      Optional<String> directory = parts[6].isEmpty() ? Optional.empty() : Optional.of(parts[6]);
      if ((step == Step.CONSENT) != directory.isPresent()) {
        return Optional.empty();
      }
      return Optional.of(new ConsentState(step, TenantId.parse(parts[2]), new AccountId(parts[3]), parts[4],
          Instant.ofEpochSecond(Long.parseLong(parts[5])), directory, keyId));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }
}
