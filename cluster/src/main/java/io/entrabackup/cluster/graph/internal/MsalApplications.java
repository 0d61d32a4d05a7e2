package io.entrabackup.cluster.graph.internal;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import io.entrabackup.cluster.graph.GraphSettings;
import java.net.MalformedURLException;
import java.util.Optional;

/**
 * How the node is an MSAL confidential client: the app-only tokens of backups and restores (GraphAccess) and the
 * redemption of an admin's sign-in code (AdminSignIn) use the same registration, authority and transport.
 */
public final class MsalApplications {

  /** The multi-tenant authority: a request names its directory (MSAL swaps it into this authority). */
  public static final String MULTI_TENANT = "organizations";

  private MsalApplications() {}

  /**
   * A confidential client whose {@code acquireToken} runs on the calling thread: call it only from tasks of a
   * blocking-I/O executor.
   */
  public static ConfidentialClientApplication confidential(GraphSettings settings, Optional<TrustMaterial> trust) {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
    try {
      ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
          .builder(settings.clientId(), ClientCredentialFactory.createFromSecret(settings.clientSecret().value()))
          .authority(settings.loginBaseUrl() + "/" + MULTI_TENANT + "/")
          // instanceDiscovery(false) is what stops MSAL calling the public discovery endpoint; both are needed for a
          // login host MSAL does not know (the simulator, a sovereign cloud behind a proxy).
          .instanceDiscovery(false)
          .validateAuthority(false)
          .executorService(new InlineExecutorService())
          .connectTimeoutForDefaultHttpClient(timeoutMillis)
          .readTimeoutForDefaultHttpClient(timeoutMillis);
      trust.ifPresent(t -> builder.sslSocketFactory(t.socketFactory()));
      return builder.build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("entra-backup.graph.login-base-url is not a URL: " + settings.loginBaseUrl(), e);
    }
  }
}
