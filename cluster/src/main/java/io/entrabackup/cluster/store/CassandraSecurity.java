package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How a node proves itself to Cassandra and keeps the connection private: {@code entra-backup.cassandra.authentication}
 * (a role's name and password, for Cassandra's PasswordAuthenticator) and {@code entra-backup.cassandra.tls} (the
 * trust store of the certificates Cassandra presents, and a client certificate when Cassandra asks for one), turned
 * into the Java driver's auth-provider and ssl-engine-factory. Every session reads the one {@code datastax-java-driver}
 * section (ours, Pekko Persistence's, the schema and audit-verify commands), so applying this to the configuration
 * before they start covers them all.
 */
public final class CassandraSecurity {

  private static final String DRIVER = "datastax-java-driver.advanced.";

  private CassandraSecurity() {}

  /** {@code root} with the driver's authentication and TLS set as {@code entra-backup.cassandra} asks. */
  public static Config applyTo(Config root) {
    Config cassandra = root.getConfig("entra-backup.cassandra");
    Map<String, Object> driver = new HashMap<>();
    Config auth = cassandra.getConfig("authentication");
    if (!auth.getString("username").isEmpty()) {
      driver.put(DRIVER + "auth-provider.class", "PlainTextAuthProvider");
      driver.put(DRIVER + "auth-provider.username", auth.getString("username"));
      driver.put(DRIVER + "auth-provider.password", password(auth));
    }
    Config tls = cassandra.getConfig("tls");
    if (tls.getBoolean("enabled")) {
      driver.put(DRIVER + "ssl-engine-factory.class", "DefaultSslEngineFactory");
      driver.put(DRIVER + "ssl-engine-factory.hostname-validation", tls.getBoolean("hostname-validation"));
      // The certificate names the addresses the nodes are reached at; asking DNS for names is no check at all.
      driver.put(DRIVER + "ssl-engine-factory.allow-dns-reverse-lookup-san", false);
      putStore(driver, tls, "trust-store", "truststore");
      putStore(driver, tls, "key-store", "keystore");
    }
    return driver.isEmpty() ? root : ConfigFactory.parseMap(driver).withFallback(root).resolve();
  }

  private static void putStore(Map<String, Object> driver, Config tls, String ours, String theirs) {
    if (!tls.getString(ours).isEmpty()) {
      driver.put(DRIVER + "ssl-engine-factory." + theirs + "-path", tls.getString(ours));
      driver.put(DRIVER + "ssl-engine-factory." + theirs + "-password", tls.getString(ours + "-password"));
    }
  }

  private static String password(Config auth) {
    String file = auth.getString("password-file");
    if (file.isEmpty()) {
      return auth.getString("password");
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("entra-backup.cassandra.authentication.password-file " + file
          + " could not be read", e);
    }
  }
}
