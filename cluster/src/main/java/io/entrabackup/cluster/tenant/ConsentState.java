package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.auth.HmacSigner;
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
 * anything between the steps and any node can finish the flow.
 */
record ConsentState(Step step, TenantId tenantId, AccountId account, String nonce, Instant expiresAt,
                    Optional<String> directory) {

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
  static ConsentState signIn(TenantId tenantId, AccountId account, String nonce, Instant expiresAt) {
    return new ConsentState(Step.SIGN_IN, tenantId, account, nonce, expiresAt, Optional.empty());
  }

  /** The same request, moved on to admin consent in the directory the admin signed in to. */
  ConsentState consentIn(String signedInDirectory) {
    return new ConsentState(Step.CONSENT, tenantId, account, nonce, expiresAt, Optional.of(signedInDirectory));
  }

  String encode(HmacSigner signer) {
    return signer.sign(String.join(SEPARATOR, VERSION, step.name(), tenantId.value(), account.value(), nonce,
        Long.toString(expiresAt.getEpochSecond()), directory.orElse("")));
  }

  /**
   * The PKCE code verifier of this request's sign-in: the signing key's MAC of the nonce (43 base64url characters, as
   * RFC 7636 asks), secret to whoever lacks the key although the state itself is readable.
   */
  String codeVerifier(HmacSigner signer) {
    return macOf("pkce" + SEPARATOR + nonce, signer);
  }

  /** Its S256 code challenge, sent in the authorize request. */
  String codeChallenge(HmacSigner signer) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(codeVerifier(signer).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The OpenID Connect nonce the ID token must carry: ties the token to this request. */
  String oidcNonce(HmacSigner signer) {
    return macOf("oidc-nonce" + SEPARATOR + nonce, signer);
  }

  /** The state, when intact and not expired at {@code now}. */
  static Optional<ConsentState> decode(String text, HmacSigner signer, Instant now) {
    return signer.verify(text).flatMap(ConsentState::parse).filter(state -> now.isBefore(state.expiresAt()));
  }

  // The signer's output is base64url(text).base64url(mac): the part after the dot is the MAC alone. The prefixes keep
  // these values apart from every state and link the same key signs.
  private static String macOf(String text, HmacSigner signer) {
    String signed = signer.sign(text);
    return signed.substring(signed.lastIndexOf('.') + 1);
  }

  private static Optional<ConsentState> parse(String payload) {
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
          Instant.ofEpochSecond(Long.parseLong(parts[5])), directory));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }
}
