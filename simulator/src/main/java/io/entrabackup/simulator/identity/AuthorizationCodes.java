package io.entrabackup.simulator.identity;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization codes the authorize endpoint hands out: random, short-lived and redeemable once, as Microsoft's
 * are ("authorization codes are short lived, typically they expire after about 10 minutes"). Kept in memory only: a
 * restarted simulator has forgotten them, as a code is never meant to outlive a sign-in.
 */
public final class AuthorizationCodes {

  /** How long a code can be redeemed; Microsoft documents about ten minutes. */
  public static final long LIFETIME_SECONDS = 600;

  /** What the code stands for: who signed in, for which app and redirect URI, with which PKCE challenge and nonce. */
  public record Grant(String clientId, String redirectUri, SignInAccount account, String scope, String nonce,
                      String codeChallenge, String codeChallengeMethod, long expiresAt) {}

  /** What redeeming found. */
  public sealed interface Redemption {}

  /** The code is valid and now used up. */
  public record Redeemed(Grant grant) implements Redemption {}

  /** The code was redeemed before (Microsoft: AADSTS54005). */
  public record AlreadyRedeemed() implements Redemption {}

  /** The code is unknown or expired (Microsoft: AADSTS70008 / 70000). */
  public record Unknown() implements Redemption {}

  private static final SecureRandom random = new SecureRandom();
  private static final int USED_CODES_KEPT = 4096;

  private final Map<String, Grant> open = new ConcurrentHashMap<>();
  private final Map<String, Boolean> used = new ConcurrentHashMap<>();

  /** A new code for the grant. */
  public String issue(Grant grant) {
    byte[] bytes = new byte[48];
    random.nextBytes(bytes);
    String code = "1.A" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    open.put(code, grant);
    return code;
  }

  /** Redeems the code at {@code nowEpochSecond}: at most one caller ever gets {@link Redeemed} for a code. */
  public Redemption redeem(String code, long nowEpochSecond) {
    if (code == null) {
      return new Unknown();
    }
    Grant grant = open.remove(code);
    if (grant == null) {
      return used.containsKey(code) ? new AlreadyRedeemed() : new Unknown();
    }
    if (used.size() > USED_CODES_KEPT) {
      used.clear();
    }
    used.put(code, Boolean.TRUE);
    return nowEpochSecond < grant.expiresAt() ? new Redeemed(grant) : new Unknown();
  }

  /** A grant's PKCE check: the verifier must hash (S256) or equal (plain) to the challenge given at authorize. */
  public static Optional<String> pkceProblem(Grant grant, String verifier) {
    if (grant.codeChallenge() == null) {
      return Optional.empty();
    }
    if (verifier == null || verifier.isEmpty()) {
      return Optional.of("The request body must contain the following parameter: 'code_verifier'.");
    }
    String expected = "plain".equals(grant.codeChallengeMethod()) ? verifier : Pkce.s256(verifier);
    return expected.equals(grant.codeChallenge())
        ? Optional.empty()
        : Optional.of("The code_verifier does not match the code_challenge supplied in the authorization request.");
  }
}
