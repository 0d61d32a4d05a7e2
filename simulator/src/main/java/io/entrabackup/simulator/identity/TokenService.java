package io.entrabackup.simulator.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.entrabackup.simulator.SimClock;
import io.entrabackup.simulator.http.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and checks JWT-shaped access tokens, and issues OpenID Connect ID tokens, signed with RS256 by a key the
 * simulator creates at start.
 */
public final class TokenService {
  /** Lifetime of issued tokens, as Entra reports it for client credentials. */
  public static final int EXPIRES_IN = 3599;
  public static final String GRAPH_AUDIENCE = "https://graph.microsoft.com";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final int VERIFIED_TOKENS_KEPT = 1024;

  /** The token signing key (PKCS#8; the public half beside it with ".pub"). */
  public static final String SIGNING_KEY_FILE = "simulator-token-signing.pk8";

  private final KeyPair keys;
  private final String kid;
  private final SimClock clock;
  /** Tokens whose signature was checked, with their claims; the least recently used go first. */
  private final Map<String, JsonNode> verified = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
      return size() > VERIFIED_TOKENS_KEPT;
    }
  };

  /** Loads the signing key from the state directory (creating it at first start), so tokens outlive a restart. */
  public TokenService(SimClock clock, Path stateDir) {
    this.clock = clock;
    this.keys = signingKey(stateDir);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded());
      this.kid = B64.encodeToString(digest).substring(0, 27);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static synchronized KeyPair signingKey(Path dir) {
    Path priv = dir.resolve(SIGNING_KEY_FILE);
    Path pub = dir.resolve(SIGNING_KEY_FILE + ".pub");
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      if (Files.exists(priv) && Files.exists(pub)) {
        return new KeyPair(rsa.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub))),
            rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv))));
      }
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      KeyPair kp = gen.generateKeyPair();
      Files.createDirectories(dir);
      Files.write(priv, kp.getPrivate().getEncoded());
      Files.write(pub, kp.getPublic().getEncoded());
      return kp;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create or read the token signing key in " + dir, e);
    }
  }

  /** Issues an app-only token for Graph. */
  public String issue(String tenantId, String appId, String appName, Set<String> roles, Set<String> wids) {
    long now = clock.nowEpochSecond();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.put("x5t", kid);
    header.put("kid", kid);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", GRAPH_AUDIENCE);
    claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + EXPIRES_IN + 1);
    claims.put("app_displayname", appName);
    claims.put("appid", appId);
    claims.put("appidacr", "1");
    claims.put("idp", "https://sts.windows.net/" + tenantId + "/");
    claims.put("idtyp", "app");
    claims.put("oid", UUID.nameUUIDFromBytes((tenantId + appId).getBytes(StandardCharsets.UTF_8)).toString());
    claims.put("roles", new ArrayList<>(roles));
    claims.put("sub", UUID.nameUUIDFromBytes((appId + tenantId).getBytes(StandardCharsets.UTF_8)).toString());
    claims.put("tid", tenantId);
    claims.put("uti", B64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 22));
    claims.put("ver", "1.0");
    if (!wids.isEmpty()) {
      claims.put("wids", new ArrayList<>(wids));
    }
    String signingInput = B64.encodeToString(Json.bytes(header)) + "." + B64.encodeToString(Json.bytes(claims));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(keys.getPrivate());
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign a token", e);
    }
  }

  /** Lifetime of ID tokens: Microsoft documents one hour. */
  public static final int ID_TOKEN_LIFETIME_SECONDS = 3600;

  /**
   * An OpenID Connect ID token (v2.0) for the account that signed in, audience the app, signed RS256 with the key of
   * {@link #jwks()} (nimbus-jose-jwt), with the claims Microsoft documents for v2.0 ID tokens; {@code wids} (the
   * account's directory role template ids) when {@code withDirectoryRoles}, as an app registration whose
   * groupMembershipClaims is "DirectoryRole" or "All" gets them.
   */
  public String issueIdToken(String issuer, String clientId, SignInAccount account, String nonce,
      boolean withDirectoryRoles) {
    long now = clock.nowEpochSecond();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .audience(clientId)
        .issuer(issuer)
        .issueTime(new java.util.Date(now * 1000))
        .notBeforeTime(new java.util.Date(now * 1000))
        .expirationTime(new java.util.Date((now + ID_TOKEN_LIFETIME_SECONDS) * 1000))
        .claim("name", account.displayName())
        .claim("oid", account.objectId())
        .claim("preferred_username", account.userPrincipalName())
        // sub is pairwise (per app) at Microsoft: a stable value derived from user and app.
        .subject(B64.encodeToString(UUID.nameUUIDFromBytes((account.objectId() + clientId)
            .getBytes(StandardCharsets.UTF_8)).toString().getBytes(StandardCharsets.UTF_8)).substring(0, 43))
        .claim("tid", account.tenantId())
        .claim("uti", B64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 22))
        .claim("ver", "2.0");
    if (nonce != null) {
      claims.claim("nonce", nonce);
    }
    if (withDirectoryRoles && !account.roles().isEmpty()) {
      claims.claim("wids", new ArrayList<>(new java.util.TreeSet<>(account.roles())));
    }
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(), claims.build());
    try {
      jwt.sign(new RSASSASigner(keys.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign an ID token", e);
    }
    return jwt.serialize();
  }

  /** Why a token was refused. */
  public static final class InvalidToken extends Exception {
    public InvalidToken(String message) {
      super(message);
    }
  }

  /** Verifies signature, audience and expiry (simulator clock) and returns the claims Graph uses. */
  public AccessToken verify(String jwt) throws InvalidToken {
    JsonNode claims = verifiedClaimsOf(jwt);
    if (!GRAPH_AUDIENCE.equals(claims.path("aud").asText()) && !"00000003-0000-0000-c000-000000000000".equals(claims.path("aud").asText())) {
      throw new InvalidToken("Invalid audience.");
    }
    long exp = claims.path("exp").asLong();
    if (exp <= clock.nowEpochSecond()) {
      throw new InvalidToken("Lifetime validation failed, the token is expired.");
    }
    Set<String> roles = new HashSet<>();
    claims.path("roles").forEach(r -> roles.add(r.asText()));
    Set<String> wids = new HashSet<>();
    claims.path("wids").forEach(r -> wids.add(r.asText().toLowerCase()));
    return new AccessToken(claims.path("tid").asText(), claims.path("appid").asText(), roles, wids, exp);
  }

  /**
   * The claims of a token this service signed, its signature checked once: a client sends the same token for an hour,
   * and checking an RSA signature on each of a full round's ~1,600 requests was a sixth of the simulator's CPU while
   * serving group pages. The audience and lifetime are still checked on every request.
   */
  private JsonNode verifiedClaimsOf(String jwt) throws InvalidToken {
    JsonNode known;
    synchronized (verified) {
      known = verified.get(jwt);
    }
    if (known != null) {
      return known;
    }
    JsonNode claims = verifiedClaims(jwt, keys.getPublic(), false);
    synchronized (verified) {
      verified.put(jwt, claims);
    }
    return claims;
  }

  /** Verifies a JWT signed by {@code key} (RS256 or PS256) and returns its claims. */
  public static JsonNode verifiedClaims(String jwt, PublicKey key, boolean allowPss) throws InvalidToken {
    String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
    if (parts.length != 3) {
      throw new InvalidToken("IDX14100: JWT is not well formed, there are no dots (.).");
    }
    try {
      JsonNode header = Json.MAPPER.readTree(B64D.decode(parts[0]));
      String alg = header.path("alg").asText();
      Signature s;
      if ("RS256".equals(alg)) {
        s = Signature.getInstance("SHA256withRSA");
      } else if ("PS256".equals(alg) && allowPss) {
        s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      } else {
        throw new InvalidToken("Unsupported signing algorithm " + alg + ".");
      }
      s.initVerify(key);
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(B64D.decode(parts[2]))) {
        throw new InvalidToken("Invalid signature.");
      }
      return Json.MAPPER.readTree(B64D.decode(parts[1]));
    } catch (InvalidToken e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidToken("IDX14102: Unable to decode the token.");
    }
  }

  /** The signing key as a JSON Web Key Set, for {@code /discovery/v2.0/keys}. */
  public Map<String, Object> jwks() {
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("kty", "RSA");
    k.put("use", "sig");
    k.put("kid", kid);
    k.put("x5t", kid);
    k.put("n", B64.encodeToString(unsigned(pub.getModulus())));
    k.put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
    return Map.of("keys", List.of(k));
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      byte[] t = new byte[b.length - 1];
      System.arraycopy(b, 1, t, 0, t.length);
      return t;
    }
    return b;
  }
}
