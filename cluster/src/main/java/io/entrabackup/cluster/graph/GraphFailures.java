package io.entrabackup.cluster.graph;

import io.entrabackup.protocol.AsyncFailures;

import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what MSAL4J and the Graph SDK throw into {@link GraphAccessException}s with meaning. {@link #classify} turns a
 * failure thrown out of a token fetch or an HTTP call into one of ours; {@link #fromGraph} judges a Graph answer. Messages carry Microsoft's error
 * code and description, never a token or a secret.
 */
public final class GraphFailures {
  /** AADSTS codes that mean the app's own credential is wrong or expired (not the tenant's consent). */
  private static final Set<String> CREDENTIAL_CODES = Set.of(
      "7000215", // invalid client secret
      "7000222", // client secret expired
      "700027", // client assertion signature invalid
      "700024", // client assertion not within its valid time range
      "7000216"); // client assertion required
  /** AADSTS codes that mean the tenant cannot be used by this app (any more). */
  private static final Set<String> TENANT_CODES = Set.of(
      "700016", // application not found in the directory: never consented or consent removed
      "90002", // tenant not found
      "90072", // account does not exist in tenant
      "7000112", // application disabled
      "65001"); // consent not given
  private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

  private GraphFailures() {}

  /** Classifies any failure of a token request or Graph call for a tenant; unwraps completion wrappers. */
  public static GraphAccessException classify(String tenantId, Throwable failure) {
    Throwable t = AsyncFailures.cause(failure);
    // Ours, possibly wrapped by the SDK on its way out of our token provider.
    GraphAccessException ours = find(t, GraphAccessException.class);
    if (ours != null) {
      return ours;
    }
    if (t instanceof MsalServiceException e) {
      return fromTokenEndpoint(tenantId, e);
    }
    if (t instanceof ODataError e) {
      String code = e.getError() == null ? null : e.getError().getCode();
      String message = e.getError() == null ? e.getMessage() : e.getError().getMessage();
      return fromGraph(tenantId, e.getResponseStatusCode(), code, message, e);
    }
    if (t instanceof ApiException e && e.getResponseStatusCode() > 0) {
      return fromGraph(tenantId, e.getResponseStatusCode(), null, e.getMessage(), e);
    }
    SSLHandshakeException tls = find(t, SSLHandshakeException.class);
    if (tls != null) {
      return new GraphAccessException(tenantId, "TLS handshake with Microsoft failed (" + tls.getMessage()
          + "): is the endpoint's certificate in entra-backup.graph.trust-store (or the JVM's trust store)?", t);
    }
    IOException io = find(t, IOException.class);
    if (io != null) {
      return new TransientGraphException(tenantId, "Network error talking to Microsoft for tenant " + tenantId + ": "
          + io.getClass().getSimpleName() + ": " + io.getMessage() + "; retry later", t);
    }
    if (t instanceof MsalException e) {
      return new GraphAccessException(tenantId, "MSAL failed for tenant " + tenantId + ": " + e.errorCode() + ": "
          + e.getMessage(), t);
    }
    return new GraphAccessException(tenantId, "Unexpected failure talking to Microsoft for tenant " + tenantId + ": " + t, t);
  }

  static GraphAccessException fromTokenEndpoint(String tenantId, MsalServiceException e) {
    String error = e.errorCode();
    String description = oneLine(e.getMessage());
    String aadsts = aadsts(description);
    int status = e.statusCode() == null ? 0 : e.statusCode();
    String said = "the token endpoint answered " + (status > 0 ? status + " " : "") + error + ": " + description;
    if (CREDENTIAL_CODES.contains(aadsts)) {
      return new AppCredentialRejectedException(tenantId, error, "Microsoft rejected the app's credential (" + said
          + "). Fix entra-backup.graph.client-secret; every tenant is affected, none lost its consent.", e);
    }
    if ("invalid_grant".equals(error) || "unauthorized_client".equals(error) || TENANT_CODES.contains(aadsts)) {
      return new AuthorizationLostException(tenantId, error, "Tenant " + tenantId + " no longer authorizes entra-backup ("
          + said + "). A tenant admin must grant admin consent again.", e);
    }
    if ("invalid_client".equals(error)) {
      return new AppCredentialRejectedException(tenantId, error, "Microsoft rejected the app's client id or credential ("
          + said + "). Check entra-backup.graph.client-id and client-secret.", e);
    }
    if (status == 429 || status >= 500 || "temporarily_unavailable".equals(error) || "server_error".equals(error)) {
      return new TransientGraphException(tenantId, "Microsoft's token endpoint is unavailable (" + said + "); retry later", e);
    }
    return new GraphAccessException(tenantId, "Token request for tenant " + tenantId + " failed (" + said + ")", e);
  }

  static GraphAccessException fromGraph(String tenantId, int status, String code, String message, Throwable cause) {
    String said = "Graph answered " + status + (code == null ? "" : " " + code) + ": " + oneLine(message);
    if (status == 401) {
      return new AuthorizationLostException(tenantId, code == null ? "401" : code, "Graph refused our token for tenant "
          + tenantId + " (" + said + "). If it persists with a fresh token, a tenant admin must grant admin consent again.",
          cause);
    }
    if (status == 403) {
      return new AuthorizationLostException(tenantId, code == null ? "403" : code, "Graph denied access in tenant "
          + tenantId + " (" + said + "). The consented permissions do not cover this; a tenant admin must grant admin "
          + "consent again.", cause);
    }
    if (status == 429 || status >= 500) {
      return new TransientGraphException(tenantId, said + " after our retries; retry later", cause);
    }
    return new GraphAccessException(tenantId, "Graph call for tenant " + tenantId + " failed (" + said + ")", cause);
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String aadsts(String description) {
    if (description == null) {
      return "";
    }
    Matcher m = AADSTS.matcher(description);
    return m.find() ? m.group(1) : "";
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
