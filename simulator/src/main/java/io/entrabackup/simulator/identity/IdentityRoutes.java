package io.entrabackup.simulator.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.http.Resp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The identity platform: v2.0 token endpoint (client credentials with secret or certificate assertion; authorization
 * codes through {@link SignInRoutes}), the authorize endpoint's OpenID Connect sign-in, admin consent page and
 * redirect, OpenID configuration, JWKS, and instance discovery. Paths start with a tenant id,
 * a domain, {@code organizations} or {@code common}.
 */
public final class IdentityRoutes {
  private static final String GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";
  private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final Services services;
  private final SignInRoutes signIn;

  public IdentityRoutes(Services services) {
    this.services = services;
    this.signIn = new SignInRoutes(services, this);
  }

  /** Answers the request or returns null when the path is not an identity path. */
  public Resp handle(Req req) {
    List<String> s = req.segments();
    if (s.size() >= 3 && s.get(1).equals("discovery") && s.get(2).equals("instance")) {
      return instanceDiscovery(req);
    }
    if (s.size() == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0") && s.get(3).equals("token")) {
      return req.method().equals("POST") ? token(req, s.get(0)) : oauthError(405, "invalid_request", 900561,
          "The endpoint only accepts POST requests.");
    }
    if (s.size() == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0") && s.get(3).equals("authorize")) {
      return signIn.authorize(req, s.get(0));
    }
    if ((s.size() == 3 && s.get(1).equals("v2.0") && s.get(2).equals("adminconsent"))
        || (s.size() == 2 && s.get(1).equals("adminconsent"))) {
      return adminConsent(req, s.get(0));
    }
    if (s.size() == 4 && s.get(1).equals("v2.0") && s.get(2).equals(".well-known") && s.get(3).equals("openid-configuration")) {
      return openIdConfiguration(s.get(0));
    }
    if (s.size() == 3 && s.get(1).equals(".well-known") && s.get(2).equals("openid-configuration")) {
      return openIdConfiguration(s.get(0));
    }
    if (s.size() == 4 && s.get(1).equals("discovery") && s.get(3).equals("keys")) {
      return Resp.json(200, Json.bytes(services.tokens().jwks()));
    }
    return null;
  }

  /** An identity request hit by an injected fault: 503/504 in the OAuth error shape, slow, reset or cut answers. */
  public Resp withFault(io.entrabackup.simulator.throttle.Faults.Rule rule, Req req) {
    Resp resp;
    switch (rule.kind) {
      case STATUS_503, STATUS_504 -> {
        resp = oauthError(rule.kind == io.entrabackup.simulator.throttle.Faults.Kind.STATUS_503 ? 503 : 504,
            "temporarily_unavailable", 50001, "The service is temporarily unavailable. Please retry later.");
        if (rule.retryAfterSeconds != null) {
          resp.header("Retry-After", Long.toString((long) Math.ceil(rule.retryAfterSeconds)));
        }
        return resp;
      }
      case RESET -> {
        return Resp.empty(500).withFault(Resp.Fault.RESET);
      }
      case SLOW -> {
        resp = handle(req);
        return resp == null ? null : resp.withDelay(rule.delayMillis);
      }
      case TRUNCATE -> {
        resp = handle(req);
        return resp == null ? null : resp.withFault(Resp.Fault.TRUNCATE);
      }
      default -> {
        return handle(req);
      }
    }
  }

  // ---- token --------------------------------------------------------------------------------------------------

  private Resp token(Req req, String tenantSegment) {
    Map<String, String> form = Req.parseQuery(req.bodyText());
    String grant = form.get("grant_type");
    if (grant == null) {
      return oauthError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    if (grant.equals("authorization_code")) {
      return signIn.redeem(form, tenantSegment);
    }
    if (!grant.equals("client_credentials")) {
      return oauthError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '" + grant + "'.");
    }
    String clientId = form.get("client_id");
    if (clientId == null || clientId.isEmpty()) {
      return oauthError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    }
    Tenant tenant = services.directory().find(tenantSegment);
    if (tenant == null) {
      if (tenantSegment.equals("organizations") || tenantSegment.equals("common")) {
        return oauthError(400, "invalid_request", 90009,
            "Use a tenant-specific endpoint or configure the application to be multi-tenant. Client credentials need a tenant id.");
      }
      return oauthError(400, "invalid_request", 90002, "Tenant '" + tenantSegment
          + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
    }
    AppRegistry.App app = services.apps().app(clientId);
    if (app == null) {
      return notFoundInDirectory(clientId, tenant);
    }
    Resp credentialProblem = checkCredential(form, app);
    if (credentialProblem != null) {
      return credentialProblem;
    }
    String scope = form.getOrDefault("scope", "");
    boolean graphScope = false;
    for (String sc : scope.split(" ")) {
      if (sc.equals(GRAPH_DEFAULT_SCOPE) || sc.equals("00000003-0000-0000-c000-000000000000/.default")) {
        graphScope = true;
      } else if (!sc.isEmpty() && !OIDC_SCOPES.contains(sc)) {
        return oauthError(400, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. The scope "
            + scope + " is not valid.");
      }
    }
    if (!graphScope) {
      return oauthError(400, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. The scope "
          + scope + " is not valid.");
    }
    Set<String> roles = services.apps().consented(tenant.id().toString(), clientId);
    if (roles == null) {
      return notFoundInDirectory(clientId, tenant);
    }
    String token = services.tokens().issue(tenant.id().toString(), clientId, app.displayName(), roles,
        services.apps().directoryRoles(tenant.id().toString(), clientId));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("expires_in", TokenService.EXPIRES_IN);
    body.put("ext_expires_in", TokenService.EXPIRES_IN);
    body.put("access_token", token);
    return Resp.json(200, Json.bytes(body)).header("Cache-Control", "no-store, no-cache").header("Pragma", "no-cache");
  }

  private Resp notFoundInDirectory(String clientId, Tenant tenant) {
    return oauthError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
        + "' was not found in the directory '" + tenant.displayName() + "'. This can happen if the application has not been"
        + " installed by the administrator of the tenant or consented to by any user in the tenant.");
  }

  /** The client's secret or certificate assertion; null when it proves the app, else the error to answer. */
  Resp checkCredential(Map<String, String> form, AppRegistry.App app) {
    String secret = form.get("client_secret");
    String assertion = form.get("client_assertion");
    if (secret != null) {
      if (!secret.equals(app.clientSecret())) {
        return oauthError(401, "invalid_client", 7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                + app.clientId() + "'.");
      }
      return null;
    }
    if (assertion != null) {
      if (app.certificate() == null) {
        return oauthError(401, "invalid_client", 700027, "Client assertion failed signature validation: no certificate is registered for app '"
            + app.clientId() + "'.");
      }
      try {
        JsonNode claims = TokenService.verifiedClaims(assertion, app.certificate().getPublicKey(), true);
        if (!app.clientId().equals(claims.path("sub").asText()) || !app.clientId().equals(claims.path("iss").asText())) {
          return oauthError(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
        }
        if (claims.path("exp").asLong() <= services.clock().nowEpochSecond()) {
          return oauthError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
        }
        return null;
      } catch (TokenService.InvalidToken e) {
        return oauthError(401, "invalid_client", 700027, "Client assertion failed signature validation. " + e.getMessage());
      }
    }
    return oauthError(401, "invalid_client", 7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }

  /** The OAuth error body Entra sends: error, error_description with trace/correlation, codes, timestamp, ids. */
  public Resp oauthError(int status, String error, int code, String description) {
    String trace = UUID.randomUUID().toString();
    String correlation = UUID.randomUUID().toString();
    String ts = TS.format(services.clock().now());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", "AADSTS" + code + ": " + description + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: "
        + correlation + "\r\nTimestamp: " + ts);
    body.put("error_codes", List.of(code));
    body.put("timestamp", ts);
    body.put("trace_id", trace);
    body.put("correlation_id", correlation);
    body.put("error_uri", services.baseUrl() + "/error?code=" + code);
    return Resp.json(status, Json.bytes(body));
  }

  // ---- admin consent ------------------------------------------------------------------------------------------

  private Resp adminConsent(Req req, String tenantSegment) {
    String clientId = req.param("client_id");
    String redirect = req.param("redirect_uri");
    String state = req.param("state");
    AppRegistry.App app = services.apps().app(clientId);
    if (app == null) {
      return errorPage(400, "AADSTS700016: Application with identifier '" + clientId + "' was not found in the directory.");
    }
    if (redirect == null) {
      redirect = app.redirectUris().isEmpty() ? null : app.redirectUris().get(0);
    }
    if (redirect == null || !app.redirectUris().contains(redirect)) {
      return errorPage(400, "AADSTS50011: The redirect URI '" + redirect
          + "' specified in the request does not match the redirect URIs configured for the application '" + clientId + "'.");
    }
    Tenant tenant = services.directory().find(tenantSegment);
    boolean multiTenant = tenantSegment.equals("organizations") || tenantSegment.equals("common");
    String chosen = req.param("sim_tenant");
    if (tenant == null && multiTenant) {
      tenant = chosen != null ? services.directory().find(chosen)
          : services.directory().tenants().isEmpty() ? null : services.directory().tenants().get(0);
    }
    if (tenant == null) {
      return errorPage(400, "AADSTS90002: Tenant '" + tenantSegment + "' not found.");
    }
    String decision = req.param("sim_decision");
    if (decision == null) {
      String mode = services.consentMode().get();
      decision = mode.equals("consent") ? "accept" : mode.equals("refuse") ? "refuse" : null;
    }
    if (decision == null) {
      return multiTenant && chosen == null && services.directory().tenants().size() > 1
          ? accountPicker(req) : consentPage(req, app, tenant);
    }
    if (decision.equals("accept")) {
      services.apps().consent(tenant.id().toString(), clientId, null);
      return redirect(redirect, "tenant=" + tenant.id() + "&state=" + enc(state) + "&admin_consent=True&scope="
          + enc(GRAPH_DEFAULT_SCOPE));
    }
    return redirect(redirect, "error=access_denied&error_subcode=cancel&state=" + enc(state) + "&error_description="
        + enc("AADSTS65004: User declined to consent to access the app."));
  }

  static Resp redirect(String redirectUri, String query) {
    String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + query;
    return Resp.html(302, "<html><body>Object moved to <a href=\"" + location + "\">here</a>.</body></html>")
        .header("Location", location);
  }

  private Resp consentPage(Req req, AppRegistry.App app, Tenant tenant) {
    String base = req.path() + "?" + req.rawQuery();
    StringBuilder perms = new StringBuilder();
    app.permissions().forEach(p -> perms.append("<li>").append(p).append("</li>"));
    String html = "<!DOCTYPE html><html><head><title>Permissions requested</title></head><body>"
        + "<h1>Permissions requested</h1><p><b>" + esc(app.displayName()) + "</b> (" + esc(app.clientId()) + ") wants to access "
        + esc(tenant.displayName()) + " (" + tenant.id() + ") as an application:</p><ul>" + perms + "</ul>"
        + "<p>Accepting grants these permissions for your whole organization.</p>"
        + "<a id=\"accept\" href=\"" + esc(base + "&sim_tenant=" + tenant.id() + "&sim_decision=accept") + "\">Accept</a> "
        + "<a id=\"cancel\" href=\"" + esc(base + "&sim_tenant=" + tenant.id() + "&sim_decision=refuse") + "\">Cancel</a>"
        + "</body></html>";
    return Resp.html(200, html);
  }

  /** With organizations/common the admin first picks who signs in, which decides the tenant. */
  private Resp accountPicker(Req req) {
    String base = req.path() + "?" + req.rawQuery();
    StringBuilder links = new StringBuilder();
    for (Tenant t : services.directory().tenants()) {
      links.append("<li><a class=\"account\" href=\"").append(esc(base + "&sim_tenant=" + t.id())).append("\">admin@")
          .append(esc(t.domain())).append("</a> (").append(esc(t.displayName())).append(")</li>");
    }
    return Resp.html(200, "<!DOCTYPE html><html><head><title>Pick an account</title></head><body><h1>Pick an account</h1>"
        + "<ul>" + links + "</ul></body></html>");
  }

  static Resp errorPage(int status, String message) {
    return Resp.html(status, "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><h1>Sorry, but we"
        + " are having trouble signing you in.</h1><p id=\"error\">" + esc(message) + "</p></body></html>");
  }

  // ---- metadata -----------------------------------------------------------------------------------------------

  private Resp openIdConfiguration(String tenantSegment) {
    Tenant tenant = services.directory().find(tenantSegment);
    boolean multi = tenantSegment.equals("organizations") || tenantSegment.equals("common");
    if (tenant == null && !multi) {
      return oauthError(400, "invalid_tenant", 90002, "Tenant '" + tenantSegment + "' not found.");
    }
    String t = tenant == null ? tenantSegment : tenant.id().toString();
    String issuerTenant = tenant == null ? "{tenantid}" : tenant.id().toString();
    String base = services.baseUrl();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("token_endpoint", base + "/" + t + "/oauth2/v2.0/token");
    c.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
    c.put("jwks_uri", base + "/" + t + "/discovery/v2.0/keys");
    c.put("response_modes_supported", List.of("query", "fragment", "form_post"));
    c.put("subject_types_supported", List.of("pairwise"));
    c.put("id_token_signing_alg_values_supported", List.of("RS256"));
    c.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
    c.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
    c.put("issuer", base + "/" + issuerTenant + "/v2.0");
    c.put("request_uri_parameter_supported", false);
    c.put("userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo");
    c.put("authorization_endpoint", base + "/" + t + "/oauth2/v2.0/authorize");
    c.put("device_authorization_endpoint", base + "/" + t + "/oauth2/v2.0/devicecode");
    c.put("http_logout_supported", true);
    c.put("frontchannel_logout_supported", true);
    c.put("end_session_endpoint", base + "/" + t + "/oauth2/v2.0/logout");
    c.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "nonce", "name",
        "preferred_username", "roles", "appid"));
    c.put("tenant_region_scope", "NA");
    c.put("cloud_instance_name", "microsoftonline.com");
    c.put("cloud_graph_host_name", "graph.windows.net");
    c.put("msgraph_host", "graph.microsoft.com");
    return Resp.json(200, Json.bytes(c));
  }

  private Resp instanceDiscovery(Req req) {
    String host = services.baseUrl().replaceFirst("^https://", "");
    String authorize = req.param("authorization_endpoint");
    String tenant = "common";
    if (authorize != null) {
      String path = authorize.replaceFirst("^https://[^/]+/", "");
      int slash = path.indexOf('/');
      tenant = slash > 0 ? path.substring(0, slash) : path;
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("preferred_network", host);
    meta.put("preferred_cache", host);
    meta.put("aliases", List.of(host));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant_discovery_endpoint", services.baseUrl() + "/" + tenant + "/v2.0/.well-known/openid-configuration");
    body.put("api-version", "1.1");
    body.put("metadata", List.of(meta));
    return Resp.json(200, Json.bytes(body));
  }

  static String enc(String s) {
    return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
