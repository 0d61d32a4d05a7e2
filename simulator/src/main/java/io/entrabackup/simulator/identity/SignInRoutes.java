package io.entrabackup.simulator.identity;

import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.http.Resp;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * OpenID Connect sign-in with the authorization code flow, as the v2.0 endpoints document it:
 * {@code /{tenant}/oauth2/v2.0/authorize} (response_type=code, response_mode=query, scope, state, nonce, PKCE) shows
 * who may sign in (each directory's administrator, or any other user of it named by {@code login_hint},
 * {@link SignInAccount}) and sends the browser back with a code; the
 * token endpoint redeems the code once ({@code grant_type=authorization_code}, checking client, redirect URI and PKCE
 * verifier) for an ID token signed with the simulator's key, carrying the user's directory roles in {@code wids} when
 * the app registration's {@code groupMembershipClaims} asks for them. A test picks the account with {@code login_hint} or by
 * following the account link ({@code sim_account}); outside the "page" consent mode the first eligible admin signs in
 * by himself, as the consent modes already do for consent.
 */
final class SignInRoutes {

  private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");

  private final Services services;
  private final IdentityRoutes identity;
  private final AuthorizationCodes codes = new AuthorizationCodes();

  SignInRoutes(Services services, IdentityRoutes identity) {
    this.services = services;
    this.identity = identity;
  }

  /** {@code GET /{tenant}/oauth2/v2.0/authorize}. */
  Resp authorize(Req req, String tenantSegment) {
    AppRegistry.App app = services.apps().app(req.param("client_id"));
    if (app == null) {
      return IdentityRoutes.errorPage(400, "AADSTS700016: Application with identifier '" + req.param("client_id")
          + "' was not found in the directory.");
    }
    String redirect = req.param("redirect_uri");
    if (redirect == null || !app.redirectUris().contains(redirect)) {
      // Microsoft never redirects to an unregistered address: it shows the error itself.
      return IdentityRoutes.errorPage(400, "AADSTS50011: The redirect URI '" + redirect
          + "' specified in the request does not match the redirect URIs configured for the application '"
          + app.clientId() + "'.");
    }
    String state = req.param("state");
    String mode = req.param("response_mode");
    if (mode != null && !mode.equals("query")) {
      return IdentityRoutes.errorPage(400, "AADSTS900144: the simulator answers the code flow with response_mode=query"
          + " only, not '" + mode + "'.");
    }
    if (!"code".equals(req.param("response_type"))) {
      return errorRedirect(redirect, state, "unsupported_response_type", "AADSTS700054: response_type '"
          + req.param("response_type") + "' is not enabled for the application.");
    }
    String challenge = req.param("code_challenge");
    String method = req.param("code_challenge_method");
    if (challenge != null && method != null && !method.equals("S256") && !method.equals("plain")) {
      return errorRedirect(redirect, state, "invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter"
          + " or unsupported code_challenge_method '" + method + "'.");
    }
    List<SignInAccount> eligible = eligible(tenantSegment);
    if (eligible == null) {
      return IdentityRoutes.errorPage(400, "AADSTS90002: Tenant '" + tenantSegment + "' not found.");
    }
    String chosen = Optional.ofNullable(req.param("sim_account")).orElse(req.param("login_hint"));
    Optional<SignInAccount> account = chosen == null
        ? eligible.stream().filter(a -> !services.consentMode().get().equals("page")).findFirst()
        : eligible.stream().filter(a -> a.userPrincipalName().equalsIgnoreCase(chosen)).findFirst()
            .or(() -> anyUser(tenantSegment, chosen));
    if (chosen != null && account.isEmpty()) {
      return IdentityRoutes.errorPage(400, "AADSTS50034: The user account " + chosen + " does not exist in the '"
          + tenantSegment + "' directory. To sign into this application, the account must be added to the directory.");
    }
    if (account.isEmpty()) {
      return accountPicker(req, eligible);
    }
    String code = codes.issue(new AuthorizationCodes.Grant(app.clientId(), redirect, account.get(),
        Optional.ofNullable(req.param("scope")).orElse(""), req.param("nonce"), challenge,
        challenge == null ? null : Optional.ofNullable(method).orElse("plain"),
        services.clock().nowEpochSecond() + AuthorizationCodes.LIFETIME_SECONDS));
    return IdentityRoutes.redirect(redirect, "code=" + IdentityRoutes.enc(code) + "&state=" + IdentityRoutes.enc(state)
        + "&session_state=" + UUID.nameUUIDFromBytes(account.get().objectId().getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code POST /{tenant}/oauth2/v2.0/token} with {@code grant_type=authorization_code}. */
  Resp redeem(Map<String, String> form, String tenantSegment) {
    String clientId = form.get("client_id");
    AppRegistry.App app = services.apps().app(clientId);
    if (app == null) {
      return identity.oauthError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
          + "' was not found in the directory.");
    }
    Resp credentialProblem = identity.checkCredential(form, app);
    if (credentialProblem != null) {
      return credentialProblem;
    }
    AuthorizationCodes.Redemption redemption = codes.redeem(form.get("code"), services.clock().nowEpochSecond());
    if (redemption instanceof AuthorizationCodes.AlreadyRedeemed) {
      return identity.oauthError(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please"
          + " retry with a new valid code or use an existing refresh token.");
    }
    if (!(redemption instanceof AuthorizationCodes.Redeemed redeemed)) {
      return identity.oauthError(400, "invalid_grant", 70008, "The provided authorization code or refresh token has"
          + " expired due to inactivity. Send a new interactive authorization request for this user and resource.");
    }
    AuthorizationCodes.Grant grant = redeemed.grant();
    if (!grant.clientId().equals(clientId) || !grant.redirectUri().equals(form.get("redirect_uri"))
        || !issuedFor(tenantSegment, grant.account())) {
      return identity.oauthError(400, "invalid_grant", 70000, "Provided grant is invalid or malformed: it was not"
          + " issued to this client, redirect URI or tenant.");
    }
    Optional<String> pkce = AuthorizationCodes.pkceProblem(grant, form.get("code_verifier"));
    if (pkce.isPresent()) {
      return identity.oauthError(400, "invalid_grant", 501481, pkce.get());
    }
    return tokens(grant, "1".equals(form.get("client_info")));
  }

  private Resp tokens(AuthorizationCodes.Grant grant, boolean clientInfo) {
    SignInAccount account = grant.account();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("scope", grant.scope());
    body.put("expires_in", TokenService.EXPIRES_IN);
    body.put("ext_expires_in", TokenService.EXPIRES_IN);
    // A delegated token for Graph that carries no application roles: nothing this simulator's Graph lets it read.
    body.put("access_token", services.tokens().issue(account.tenantId(), grant.clientId(),
        services.apps().app(grant.clientId()).displayName(), Set.of(), Set.of()));
    if (Arrays.asList(grant.scope().split(" ")).contains("openid")) {
      body.put("id_token", services.tokens().issueIdToken(services.baseUrl() + "/" + account.tenantId() + "/v2.0",
          grant.clientId(), account, grant.nonce(), services.apps().app(grant.clientId()).emitsDirectoryRoles()));
    }
    if (clientInfo) {
      body.put("client_info", Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(
          Map.of("uid", account.objectId(), "utid", account.tenantId()))));
    }
    return Resp.json(200, Json.bytes(body)).header("Cache-Control", "no-store, no-cache").header("Pragma", "no-cache");
  }

  /** The code was redeemed at {@code organizations}/{@code common} or at the signed-in account's own tenant. */
  private boolean issuedFor(String tenantSegment, SignInAccount account) {
    if (isMultiTenant(tenantSegment)) {
      return true;
    }
    Tenant tenant = services.directory().find(tenantSegment);
    return tenant != null && tenant.id().toString().equalsIgnoreCase(account.tenantId());
  }

  /** Who may sign in at this authority: one directory's admin, or every directory's for organizations/common. */
  private List<SignInAccount> eligible(String tenantSegment) {
    if (isMultiTenant(tenantSegment)) {
      return services.directory().tenants().stream().map(SignInAccount::adminOf).toList();
    }
    Tenant tenant = services.directory().find(tenantSegment);
    return tenant == null ? null : List.of(SignInAccount.adminOf(tenant));
  }

  /**
   * Any other live user who may sign in at this authority (any directory's for organizations/common), named by
   * login_hint: how a test signs in as someone who is not an administrator.
   */
  private Optional<SignInAccount> anyUser(String tenantSegment, String userPrincipalName) {
    List<Tenant> tenants = isMultiTenant(tenantSegment) ? services.directory().tenants()
        : List.of(services.directory().find(tenantSegment));
    return tenants.stream().map(tenant -> SignInAccount.userOf(tenant, userPrincipalName))
        .flatMap(Optional::stream).findFirst();
  }

  private static boolean isMultiTenant(String tenantSegment) {
    return tenantSegment.equals("organizations") || tenantSegment.equals("common");
  }

  private Resp accountPicker(Req req, List<SignInAccount> eligible) {
    String base = req.path() + "?" + req.rawQuery();
    StringBuilder links = new StringBuilder();
    for (SignInAccount account : eligible) {
      links.append("<li><a class=\"account\" href=\"")
          .append(IdentityRoutes.esc(base + "&sim_account=" + IdentityRoutes.enc(account.userPrincipalName())))
          .append("\">").append(IdentityRoutes.esc(account.userPrincipalName())).append("</a> (")
          .append(IdentityRoutes.esc(account.displayName())).append(")</li>");
    }
    return Resp.html(200, "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>"
        + "<h1>Pick an account</h1><ul>" + links + "</ul></body></html>");
  }

  private static Resp errorRedirect(String redirect, String state, String error, String description) {
    return IdentityRoutes.redirect(redirect, "error=" + error + "&error_description=" + IdentityRoutes.enc(description)
        + "&state=" + IdentityRoutes.enc(state));
  }
}
