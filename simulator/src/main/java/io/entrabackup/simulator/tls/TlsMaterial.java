package io.entrabackup.simulator.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The simulator's TLS identity: a self-signed CA and a server certificate for 127.0.0.1/localhost signed by it.
 * Created at first start in the state directory and reused afterwards, so a product configured once keeps trusting it.
 */
public final class TlsMaterial {
  public static final String CA_PEM = "simulator-ca.pem";
  public static final String SERVER_PEM = "simulator-server.pem";
  public static final String SERVER_KEY_PEM = "simulator-server-key.pem";
  public static final String TRUST_STORE = "simulator-truststore.p12";
  public static final String KEY_STORE = "simulator-keystore.p12";
  private static final String KEY_ALIAS = "simulator";

  private final Path trustStorePath;
  private final String password;
  private final KeyStore keyStore;
  private final KeyStore trustStore;

  private TlsMaterial(Path trustStorePath, String password, KeyStore keyStore, KeyStore trustStore) {
    this.trustStorePath = trustStorePath;
    this.password = password;
    this.keyStore = keyStore;
    this.trustStore = trustStore;
  }

  /** Loads the material from {@code dir}, creating it first if it is not there. */
  public static synchronized TlsMaterial loadOrCreate(Path dir, String password) {
    try {
      Files.createDirectories(dir);
      Path ks = dir.resolve(KEY_STORE);
      Path ts = dir.resolve(TRUST_STORE);
      if (!Files.exists(ks) || !Files.exists(ts)) {
        create(dir, password);
      }
      return new TlsMaterial(ts, password, load(ks, password), load(ts, password));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create or read the simulator's TLS material in " + dir, e);
    }
  }

  public Path trustStorePath() {
    return trustStorePath;
  }

  public String password() {
    return password;
  }

  public KeyStore trustStore() {
    return trustStore;
  }

  /** The server side: key manager over the server key and certificate chain. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, password.toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build the server TLS context", e);
    }
  }

  /** A client context that trusts the simulator's CA (and nothing else): what tests and the product use. */
  public SSLContext clientContext() {
    return clientContext(trustStore);
  }

  /** A client context that trusts the CA stored in a PKCS12 trust store file. */
  public static SSLContext clientContext(Path trustStore, String password) {
    try {
      return clientContext(load(trustStore, password));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read trust store " + trustStore, e);
    }
  }

  private static SSLContext clientContext(KeyStore trust) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build a client TLS context", e);
    }
  }

  private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  private static void create(Path dir, String password) throws IOException, GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair caKeys = gen.generateKeyPair();
    KeyPair serverKeys = gen.generateKeyPair();
    Instant now = Instant.now();
    X500Name caName = new X500Name("CN=entra-backup simulator CA,O=entra-backup");
    X509Certificate ca = caCertificate(caName, caKeys, now);
    X509Certificate server = serverCertificate(caName, caKeys, ca, serverKeys, now);

    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(KEY_ALIAS, serverKeys.getPrivate(), password.toCharArray(), new Certificate[] {server, ca});
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("simulator-ca", ca);
    store(ks, dir.resolve(KEY_STORE), password);
    store(ts, dir.resolve(TRUST_STORE), password);
    Files.writeString(dir.resolve(CA_PEM), pem(ca));
    Files.writeString(dir.resolve(SERVER_PEM), pem(server) + pem(ca));
    Files.writeString(dir.resolve(SERVER_KEY_PEM), pem(serverKeys.getPrivate()));
  }

  private static X509Certificate caCertificate(X500Name name, KeyPair keys, Instant now) throws GeneralSecurityException, IOException {
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    return sign(b, keys.getPrivate());
  }

  private static X509Certificate serverCertificate(X500Name caName, KeyPair caKeys, X509Certificate ca, KeyPair keys, Instant now)
      throws GeneralSecurityException, IOException {
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(825))), new X500Name("CN=localhost,O=entra-backup simulator"), keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.dNSName, "localhost")}));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    return sign(b, caKeys.getPrivate());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }

  private static void store(KeyStore ks, Path file, String password) throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password.toCharArray());
    }
  }

  private static String pem(Object o) throws IOException {
    Writer sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }
}
