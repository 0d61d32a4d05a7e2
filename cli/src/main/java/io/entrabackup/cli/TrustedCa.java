package io.entrabackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS that trusts the certificates of one PEM file (a private CA, as deploy/run's {@code .local/run/tls/ca.pem})
 * instead of the JDK's public ones. Host names are still checked: there is deliberately no way to trust any server.
 */
final class TrustedCa {

  private TrustedCa() {}

  static SSLContext from(Path pem) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pem)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.USAGE, "cannot read the CA file " + pem + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new CliFailure(ExitCode.USAGE, "the CA file " + pem + " holds no PEM certificate: " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new CliFailure(ExitCode.USAGE, "the CA file " + pem + " holds no PEM certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("a trust store of the CA file could not be made", e);
    }
  }
}
