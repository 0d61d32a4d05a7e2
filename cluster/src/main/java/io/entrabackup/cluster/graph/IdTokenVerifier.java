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
import java.util.Locale;
import java.util.Set;

/**
 * Checks the consenting admin's OpenID Connect ID token ourselves (nimbus-jose-jwt), whatever MSAL did with it: an
 * RS256 signature by a key of the identity platform's JWKS, our app as audience, not expired or not yet valid by the
 * node's clock (with the allowed skew), the nonce we derived from our signed state, and, for a multi-tenant app, the
 * issuer Microsoft documents for the token's own tenant ({@code {login}/{tid}/v2.0}).
 */
public final class IdTokenVerifier {

  /** Who signed in, as the verified ID token says. */
  public record SignedInAdmin(String directory, String objectId, String username) {}

  /** Why an ID token is not accepted; the message names no token content beyond the check that failed. */
  public static final class IdTokenRejected extends Exception {
    IdTokenRejected(String message) {
      super(message);
    }
  }

  private static final Set<String> REQUIRED = Set.of("iss", "aud", "exp", "iat", "tid", "oid", "nonce");

  private final String loginBaseUrl;
  private final String clientId;
  private final JWKSource<SecurityContext> keys;
  private final Clock clock;
  private final Duration clockSkew;

  IdTokenVerifier(String loginBaseUrl, String clientId, JWKSource<SecurityContext> keys, Clock clock,
      Duration clockSkew) {
    this.loginBaseUrl = loginBaseUrl;
    this.clientId = clientId;
    this.keys = keys;
    this.clock = clock;
    this.clockSkew = clockSkew;
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
    return new SignedInAdmin(tid.toLowerCase(Locale.ROOT), String.valueOf(claims.getClaim("oid")),
        String.valueOf(claims.getClaim("preferred_username")));
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
