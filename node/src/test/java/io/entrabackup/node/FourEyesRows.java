package io.entrabackup.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * An account's four-eyes rule written as a test needs it, in force at once. Through the API a relaxation waits for the
 * approval window in force (cluster/.../approval/FourEyesChange, tested in {@link FourEyesOneKeyIT}); tests that try
 * one rule after another set them here instead of waiting a day between them.
 */
record FourEyesRows(TestCassandra cassandra) {

  void set(String account, boolean privileged, boolean every, boolean downloads, String window) {
    try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build()) {
      cql.execute(SimpleStatement.newInstance("INSERT INTO " + cassandra.keyspace() + ".account_settings (account_id,"
          + " four_eyes_privileged_restores, four_eyes_every_restore, four_eyes_tenant_downloads,"
          + " four_eyes_approval_window, pending_from, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, null, ?, 'test')",
          account, privileged, every, downloads, window, Instant.now()));
    }
  }
}
