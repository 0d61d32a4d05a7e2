package io.entrabackup.simulator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatePemTest {
  @TempDir
  Path dir;

  @Test
  void aCertificateComesBackFromItsPem() throws Exception {
    X509Certificate ca = (X509Certificate) TlsMaterial.loadOrCreate(dir, "changeit").trustStore().getCertificate("simulator-ca");
    String pem = CertificatePem.encode(ca);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n") && pem.endsWith("\n-----END CERTIFICATE-----\n"), pem);
    assertEquals(ca, CertificatePem.decode(pem));
  }

  @Test
  void textThatIsNoCertificateIsRefused() {
    String notACertificate = "-----BEGIN CERTIFICATE-----\nbm90\n-----END CERTIFICATE-----\n";
    assertThrows(CertificateException.class, () -> CertificatePem.decode(notACertificate));
  }
}
