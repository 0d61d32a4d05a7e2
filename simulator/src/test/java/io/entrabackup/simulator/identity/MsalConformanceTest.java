package io.entrabackup.simulator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import io.entrabackup.simulator.SimulatorFixture;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real MSAL4J 1.26.1 client against the simulator, configured as the product configures it. */
class MsalConformanceTest {
  @RegisterExtension
  static final SimulatorFixture f = SimulatorFixture.start();

  private ConfidentialClientApplication.Builder builder(com.microsoft.aad.msal4j.IClientCredential credential) throws Exception {
    return ConfidentialClientApplication.builder(SimulatorFixture.CLIENT_ID, credential)
        .authority(f.sim.authority(f.tenant.id()))
        .instanceDiscovery(false)
        .validateAuthority(false)
        .sslSocketFactory(f.sim.sslContext().getSocketFactory());
  }

  private static IAuthenticationResult acquire(ConfidentialClientApplication app) throws Exception {
    return app.acquireToken(ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build()).get();
  }

  @Test
  void msalGetsAClientCredentialsTokenWithASecretThatGraphAccepts() throws Exception {
    ConfidentialClientApplication app = builder(ClientCredentialFactory.createFromSecret(SimulatorFixture.SECRET)).build();
    IAuthenticationResult result = acquire(app);
    assertTrue(result.accessToken().split("\\.").length == 3);
    assertTrue(result.expiresOnDate().toInstant().isAfter(Instant.now().plusSeconds(3000)));
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users?$top=1"))
        .header("Authorization", "Bearer " + result.accessToken()).build());
    assertEquals(200, r.statusCode());
  }

  /**
   * MSAL4J stores the token under the authority host without the port ("127.0.0.1") but looks it up with the port,
   * so on any port but 443 every acquireToken goes to the token endpoint. The product must cache tokens itself.
   * If this test starts failing, MSAL fixed it.
   */
  @Test
  void msalMissesItsOwnCacheOnANon443PortSoTheProductMustCacheTokens() throws Exception {
    ConfidentialClientApplication app = builder(ClientCredentialFactory.createFromSecret(SimulatorFixture.SECRET)).build();
    f.sim.admin().resetStats();
    acquire(app);
    acquire(app);
    assertTrue(app.tokenCache().serialize().contains("\"environment\":\"127.0.0.1\""));
    @SuppressWarnings("unchecked")
    java.util.Map<String, Long> by = (java.util.Map<String, Long>) f.sim.admin().stats().get("byEndpointAndStatus");
    assertEquals(2L, by.get("POST /{tenant}/oauth2/v2.0/token 200"), by.toString());
  }

  @Test
  void msalGetsATokenWithACertificateAssertion() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair keys = gen.generateKeyPair();
    X500Name name = new X500Name("CN=entra-backup test app");
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
        BigInteger.TEN, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(86400)), name,
        keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    f.sim.admin().addCertificate(SimulatorFixture.CLIENT_ID, cert);
    ConfidentialClientApplication app = builder(ClientCredentialFactory.createFromCertificate(keys.getPrivate(), cert)).build();
    assertTrue(acquire(app).accessToken().length() > 100);
  }

  @Test
  void msalSurfacesTheSimulatorsOAuthErrorForAWrongSecret() throws Exception {
    ConfidentialClientApplication app = builder(ClientCredentialFactory.createFromSecret("wrong")).build();
    try {
      acquire(app);
      throw new AssertionError("expected a failure");
    } catch (java.util.concurrent.ExecutionException e) {
      com.microsoft.aad.msal4j.MsalServiceException cause = (com.microsoft.aad.msal4j.MsalServiceException) e.getCause();
      assertEquals("invalid_client", cause.errorCode());
      assertEquals(401, (int) cause.statusCode());
    }
  }

  @Test
  void msalWorksWithTheOidcAuthorityThatReadsOpenIdConfiguration() throws Exception {
    ConfidentialClientApplication app = ConfidentialClientApplication.builder(SimulatorFixture.CLIENT_ID,
            ClientCredentialFactory.createFromSecret(SimulatorFixture.SECRET))
        .oidcAuthority(f.sim.baseUrl() + "/" + f.tenant.id() + "/v2.0")
        .sslSocketFactory(f.sim.sslContext().getSocketFactory())
        .build();
    assertTrue(acquire(app).accessToken().length() > 100);
    assertTrue(List.of(f.sim.admin().stats().get("byEndpointAndStatus").toString()).get(0).contains("openid-configuration"));
  }
}
