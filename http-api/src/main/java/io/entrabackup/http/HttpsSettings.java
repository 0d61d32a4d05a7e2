package io.entrabackup.http;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The {@code entra-backup.http.tls} section: whether the API and portal speak HTTPS, with which certificate (a PKCS12
 * key store), and the HSTS policy sent with every answer when they do. Plain HTTP is for development on loopback: on
 * any other interface a node refuses to start without TLS unless told explicitly ({@code plain-http-beyond-loopback},
 * for a TLS-terminating proxy in front).
 *
 * @param keyStorePassword never logged
 */
public record HttpsSettings(
    boolean enabled,
    String keyStore,
    String keyStorePassword,
    Duration hstsMaxAge,
    boolean plainHttpBeyondLoopback) {

  /** Protocols offered to clients: nothing older than TLS 1.2. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  public static HttpsSettings create(Config root) {
    Config config = root.getConfig("entra-backup.http.tls");
    return new HttpsSettings(
        config.getBoolean("enabled"),
        config.getString("key-store"),
        config.getString("key-store-password"),
        config.getDuration("hsts-max-age"),
        config.getBoolean("plain-http-beyond-loopback"));
  }

  /** The value of the Strict-Transport-Security header (only ever sent over HTTPS). */
  public String hstsHeader() {
    return "max-age=" + hstsMaxAge.toSeconds();
  }

  /** Fails, saying what to do, when the API would listen without TLS on an interface other hosts reach. */
  public void checkPlainHttpAllowedOn(String interfaceName) {
    if (enabled || plainHttpBeyondLoopback || isLoopback(interfaceName)) {
      return;
    }
    throw new IllegalStateException("The API would serve plain HTTP on " + interfaceName + ", which other hosts"
        + " reach: set entra-backup.http.tls.enabled = on with a key store (deploy/SECURITY.md), bind to 127.0.0.1,"
        + " or, behind a TLS-terminating proxy only, set entra-backup.http.tls.plain-http-beyond-loopback = on");
  }

  /** The server's TLS context, from the PKCS12 key store. */
  public SSLContext sslContext() {
    if (keyStore.isEmpty()) {
      throw new IllegalStateException("entra-backup.http.tls.enabled is on but entra-backup.http.tls.key-store is"
          + " not set");
    }
    char[] password = keyStorePassword.toCharArray();
    try (InputStream in = Files.newInputStream(Path.of(keyStore))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      // The message names the file and the failure (wrong password, not PKCS12), never the password.
      throw new IllegalStateException("The API's key store " + keyStore + " could not be read: " + e.getMessage(), e);
    }
  }

  private static boolean isLoopback(String interfaceName) {
    try {
      return InetAddress.getByName(interfaceName).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "HttpsSettings[enabled=" + enabled + ", keyStore=" + keyStore + ", hstsMaxAge=" + hstsMaxAge
        + ", plainHttpBeyondLoopback=" + plainHttpBeyondLoopback + ", password hidden]";
  }
}
