package io.entrabackup.cluster.graph;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.entrabackup.protocol.tenant.TenantRegistration;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the consenting admin's OpenID Connect ID token ourselves (nimbus-jose-jwt), whatever MSAL did with it: an
 * RS256 signature by a key of the identity platform's JWKS, our app as audience, not expired or not yet valid by the
 * node's clock (with the allowed skew), the nonce we derived from our signed state, and, for a multi-tenant app, the
 * issuer Microsoft documents for the token's own tenant ({@code {login}/{tid}/v2.0}); and then that the person holds,
 * tenant-wide, one of the directory roles that may grant our consent ({@code wids}: the template ids of the user's
 * built-in roles, in the token when the app registration's {@code groupMembershipClaims} is {@code DirectoryRole} or
 * {@code All}). Any account of a directory can sign in; only such an administrator can go on to consent.
 */
public final class IdTokenVerifier {

  /** Who signed in, as the verified ID token says. */
  public record SignedInAdmin(String directory, String objectId, String username) {}

  /** Why an ID token is not accepted; the message names no token content beyond the check that failed. */
  public static class IdTokenRejected extends Exception {
    IdTokenRejected(String message) {
      super(message);
    }
  }

  /**
   * A genuine token of someone who may not grant our consent: it names none of the consent roles, or carries no
   * {@code wids} at all (the app registration does not ask for directory roles, so nobody can be told apart).
   */
  public static final class NotAConsentAdministrator extends IdTokenRejected {
    private final boolean rolesClaimMissing;

    NotAConsentAdministrator(String message, boolean rolesClaimMissing) {
      super(message);
      this.rolesClaimMissing = rolesClaimMissing;
    }

    /** True when the token has no {@code wids} claim: the app registration's setting, not the person, is at fault. */
    public boolean rolesClaimMissing() {
      return rolesClaimMissing;
    }
  }

  private static final Set<String> REQUIRED = Set.of("iss", "aud", "exp", "iat", "tid", "oid", "nonce");

  private final String loginBaseUrl;
  private final String clientId;
  private final JWKSource<SecurityContext> keys;
  private final Clock clock;
  private final Duration clockSkew;
  private final Set<String> consentRoles;

  /** {@code consentRoles}: directory role template ids, one of which the signed-in person must hold. */
  IdTokenVerifier(String loginBaseUrl, String clientId, JWKSource<SecurityContext> keys, Clock clock,
      Duration clockSkew, Set<String> consentRoles) {
    this.loginBaseUrl = loginBaseUrl;
    this.clientId = clientId;
    this.keys = keys;
    this.clock = clock;
    this.clockSkew = clockSkew;
    this.consentRoles = consentRoles.stream().map(role -> role.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /** The admin the token names, when it passes every check; may block (the first call fetches the JWKS). */
  SignedInAdmin verify(String idToken, String expectedNonce) throws IdTokenRejected {
    if (idToken == null || idToken.isBlank()) {
      throw new IdTokenRejected("Microsoft returned no ID token");
    }
    JWTClaimsSet claims;
    try {
      claims = processor(expectedNonce).process(idToken, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new IdTokenRejected("the ID token failed verification: " + e.getMessage());
    }
    String tid = String.valueOf(claims.getClaim("tid"));
    if (!TenantRegistration.isDirectoryId(tid)) {
      throw new IdTokenRejected("the ID token's tid is not a directory id");
    }
    // The organizations metadata's issuer is a template, {login}/{tenantid}/v2.0: the token's own tid fills it in.
    String issuer = loginBaseUrl + "/" + tid + "/v2.0";
    if (!issuer.equalsIgnoreCase(claims.getIssuer())) {
      throw new IdTokenRejected("the ID token's issuer is not " + issuer);
    }
    requireConsentRole(claims);
    return new SignedInAdmin(tid.toLowerCase(Locale.ROOT), String.valueOf(claims.getClaim("oid")),
        String.valueOf(claims.getClaim("preferred_username")));
  }

  /** Only after the token is proven ours and Microsoft's: which roles the person holds says nothing before. */
  private void requireConsentRole(JWTClaimsSet claims) throws IdTokenRejected {
    if (claims.getClaim("wids") == null) {
      throw new NotAConsentAdministrator("the ID token carries no wids claim (the app registration's"
          + " groupMembershipClaims does not include DirectoryRole)", true);
    }
    List<String> roles;
    try {
      roles = claims.getStringListClaim("wids");
    } catch (ParseException e) {
      throw new IdTokenRejected("the ID token's wids claim is not a list of role template ids");
    }
    if (roles.stream().noneMatch(role -> role != null && consentRoles.contains(role.toLowerCase(Locale.ROOT)))) {
      throw new NotAConsentAdministrator("the signed-in account holds none of the roles that may grant consent ("
          + "entra-backup.auth.consent-roles)", false);
    }
  }

  private DefaultJWTProcessor<SecurityContext> processor(String expectedNonce) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(clientId,
        new JWTClaimsSet.Builder().claim("nonce", expectedNonce).build(), REQUIRED) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew((int) clockSkew.toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
    return processor;
  }
}
