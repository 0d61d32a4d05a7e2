package io.entrabackup.cluster.graph.internal;

import io.entrabackup.cluster.graph.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates we trust for both Microsoft endpoints, from a PKCS12 trust store (e.g. the simulator's CA).
 * It replaces the JVM's default trust for our two clients only; certificate and host checks stay on.
 */
public record TrustMaterial(SSLSocketFactory socketFactory, X509TrustManager trustManager) {

  public static TrustMaterial load(Path pkcs12, Secret password) {
    try (InputStream in = Files.newInputStream(pkcs12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.chars());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      X509TrustManager trustManager = Arrays.stream(tmf.getTrustManagers())
          .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast).findFirst()
          .orElseThrow(() -> new IllegalStateException("no X509 trust manager for " + pkcs12));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      return new TrustMaterial(context.getSocketFactory(), trustManager);
    } catch (IOException e) {
      throw new UncheckedIOException("entra-backup.graph.trust-store cannot be read: " + pkcs12, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("entra-backup.graph.trust-store is not a usable PKCS12 trust store: " + pkcs12, e);
    }
  }
}
