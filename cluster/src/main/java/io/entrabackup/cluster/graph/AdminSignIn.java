package io.entrabackup.cluster.graph;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.entrabackup.cluster.graph.internal.MsalApplications;
import io.entrabackup.cluster.graph.internal.TrustMaterial;
import io.entrabackup.cluster.graph.IdTokenVerifier.IdTokenRejected;
import io.entrabackup.cluster.graph.IdTokenVerifier.SignedInAdmin;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * The OpenID Connect sign-in of the admin who is about to consent: the authorization code flow with PKCE at
 * {@code {login}/{tenant|organizations}/oauth2/v2.0/authorize}, the code redeemed through MSAL4J's authorization-code
 * API as our confidential client, and the ID token then verified by {@link IdTokenVerifier}. Which directory the admin
 * belongs to comes from that verified token only, never from a query parameter. Blocking calls (token endpoint, JWKS)
 * run on the executor given.
 */
public final class AdminSignIn {

  /** OpenID Connect scopes only: the sign-in asks for no access to anything. */
  static final Set<String> SCOPES = Set.of("openid", "profile");
  private static final String MULTI_TENANT = MsalApplications.MULTI_TENANT;
  /** A tenant id (GUID) or a domain name: what may stand in a login URL path. */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

  private final GraphSettings settings;
  private final Executor blockingIo;
  private final ConfidentialClientApplication msal;
  private final IdTokenVerifier verifier;

  /** {@code consentRoles}: the directory role template ids of which the admin must hold one (see IdTokenVerifier). */
  public AdminSignIn(GraphSettings settings, Executor blockingIo, Clock clock, Duration clockSkew,
      Set<String> consentRoles) {
    this.settings = settings;
    this.blockingIo = blockingIo;
    Optional<TrustMaterial> trust =
        settings.trustStore().map(path -> TrustMaterial.load(path, settings.trustStorePassword()));
    this.msal = MsalApplications.confidential(settings, trust);
    this.verifier = new IdTokenVerifier(settings.loginBaseUrl(), settings.clientId(), keys(settings, trust), clock,
        clockSkew, consentRoles);
  }

  /**
   * Where the admin signs in: the registered directory's own authority when the tenant names one (only its accounts
   * can sign in there), else {@code organizations}.
   */
  public String authorizeUrl(Optional<String> tenantHint, String state, String nonce, String codeChallenge) {
    String tenant = tenantHint.filter(hint -> TENANT.matcher(hint).matches()).orElse(MULTI_TENANT);
    return settings.loginBaseUrl() + "/" + tenant + "/oauth2/v2.0/authorize"
        + "?client_id=" + encode(settings.clientId())
        + "&response_type=code"
        + "&redirect_uri=" + encode(settings.redirectUri())
        + "&response_mode=query"
        + "&scope=" + encode(String.join(" ", SCOPES.stream().sorted().toList()))
        + "&state=" + encode(state)
        + "&nonce=" + encode(nonce)
        + "&code_challenge=" + encode(codeChallenge)
        + "&code_challenge_method=S256"
        // Let the admin choose the account even when the browser is signed in to another (an MSP's own, say).
        + "&prompt=select_account";
  }

  /**
   * Redeems the code (PKCE verifier included) and verifies the ID token against {@code expectedNonce}. Fails with
   * {@link IdTokenRejected} when the token does not pass, or with MSAL's exception when Microsoft refuses the code.
   */
  public CompletionStage<SignedInAdmin> signedIn(String code, String codeVerifier, String expectedNonce) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        IAuthenticationResult result = msal.acquireToken(AuthorizationCodeParameters
            .builder(code, URI.create(settings.redirectUri()))
            .scopes(SCOPES)
            .codeVerifier(codeVerifier)
            .build()).join();
        // MSAL keeps every signed-in account in its cache; we never use one again, so the cache must not grow.
        if (result.account() != null) {
          msal.removeAccount(result.account()).join();
        }
        return verifier.verify(result.idToken(), expectedNonce);
      } catch (IdTokenRejected rejected) {
        throw new CompletionException(rejected);
      }
    }, blockingIo);
  }


  /**
   * The signing keys of the {@code organizations} metadata's {@code jwks_uri}, fetched when first needed and cached
   * (nimbus refreshes them when a token names an unknown key id, as after Microsoft rolls its keys).
   */
  private static JWKSource<SecurityContext> keys(GraphSettings settings, Optional<TrustMaterial> trust) {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
    DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeoutMillis, timeoutMillis, 1024 * 1024, true,
        trust.map(TrustMaterial::socketFactory).orElse(null));
    try {
      URL jwksUri = URI.create(settings.loginBaseUrl() + "/" + MULTI_TENANT + "/discovery/v2.0/keys").toURL();
      return JWKSourceBuilder.create(jwksUri, retriever).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("entra-backup.graph.login-base-url is not a URL: " + settings.loginBaseUrl(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
