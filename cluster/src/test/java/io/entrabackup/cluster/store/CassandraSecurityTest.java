package io.entrabackup.cluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our Cassandra credentials and TLS settings become the Java driver's, which every session reads. */
class CassandraSecurityTest {

  private static final String ADVANCED = "datastax-java-driver.advanced.";

  @Test
  void withNeitherSetTheDriverIsLeftAsItIs() {
    Config plain = config("");
    assertSame(plain, CassandraSecurity.applyTo(plain));
    assertFalse(plain.hasPath(ADVANCED + "ssl-engine-factory.class"));
  }

  @Test
  void credentialsAndTlsBecomeTheDriversAuthProviderAndSslEngineFactory(@TempDir Path dir) throws Exception {
    Path password = dir.resolve("cassandra-password");
    Files.writeString(password, "role-password-from-a-file\n");
    Config secured = CassandraSecurity.applyTo(config(String.join("\n",
        "entra-backup.cassandra.authentication.username = entra_backup",
        "entra-backup.cassandra.authentication.password-file = \"" + password + "\"",
        "entra-backup.cassandra.tls.enabled = on",
        "entra-backup.cassandra.tls.trust-store = /tls/truststore.p12",
        "entra-backup.cassandra.tls.trust-store-password = changeit")));
    assertEquals("PlainTextAuthProvider", secured.getString(ADVANCED + "auth-provider.class"));
    assertEquals("entra_backup", secured.getString(ADVANCED + "auth-provider.username"));
    assertEquals("role-password-from-a-file", secured.getString(ADVANCED + "auth-provider.password"));
    assertEquals("DefaultSslEngineFactory", secured.getString(ADVANCED + "ssl-engine-factory.class"));
    assertEquals("/tls/truststore.p12", secured.getString(ADVANCED + "ssl-engine-factory.truststore-path"));
    assertEquals("changeit", secured.getString(ADVANCED + "ssl-engine-factory.truststore-password"));
    assertEquals(true, secured.getBoolean(ADVANCED + "ssl-engine-factory.hostname-validation"));
    assertEquals(false, secured.getBoolean(ADVANCED + "ssl-engine-factory.allow-dns-reverse-lookup-san"));
    assertFalse(secured.hasPath(ADVANCED + "ssl-engine-factory.keystore-path"));
    // The rest of the driver's settings stay.
    assertEquals("datacenter1", secured.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"));
  }

  private static Config config(String settings) {
    return ConfigFactory.parseString(settings).withFallback(ConfigFactory.parseString(
        "datastax-java-driver.basic.load-balancing-policy.local-datacenter = datacenter1"))
        .withFallback(ConfigFactory.defaultReference()).resolve();
  }
}
