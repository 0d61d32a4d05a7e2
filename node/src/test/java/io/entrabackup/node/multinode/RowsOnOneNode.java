package io.entrabackup.node.multinode;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.TraceEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether one Cassandra node holds a tenant's user versions itself: each is read at ONE through a session pinned to
 * that node, with tracing on, and counts only when the trace shows the node read the partition from its own data (a
 * coordinator may send a read at ONE to another replica; such reads prove nothing and are counted apart).
 */
final class RowsOnOneNode {

  /** Reads the node made from its own data (found or missing), and reads it sent to another replica. */
  record Found(int local, int missing, int forwarded) {
    @Override
    public String toString() {
      return local + " read on the node itself (" + missing + " of them missing), " + forwarded + " sent elsewhere";
    }
  }

  private RowsOnOneNode() {}

  static Found usersOn(CassandraRing ring, int k, String keyspace, String tenantId, Collection<String> userIds) {
    String host = "127.0.0." + k;
    int local = 0;
    int missing = 0;
    int forwarded = 0;
    try (CqlSession session = ring.sessionOn(k)) {
      for (String userId : userIds) {
        ResultSet rows = session.execute(SimpleStatement.newInstance("SELECT object_id FROM " + keyspace
                + ".snapshot_versions WHERE tenant_id = ? AND object_type = 'users' AND object_id = ?", tenantId, userId)
            .setConsistencyLevel(ConsistencyLevel.ONE).setTracing(true).setTimeout(Duration.ofSeconds(20)));
        boolean found = rows.one() != null;
        Set<String> readers = new HashSet<>();
        for (TraceEvent event : rows.getExecutionInfo().getQueryTrace().getEvents()) {
          InetSocketAddress source = event.getSourceAddress();
          if (event.getActivity() != null && event.getActivity().startsWith("Executing single-partition query")
              && source != null) {
            readers.add(source.getAddress().getHostAddress());
          }
        }
        if (readers.equals(Set.of(host))) {
          local++;
          missing += found ? 0 : 1;
        } else {
          forwarded++;
        }
      }
    }
    return new Found(local, missing, forwarded);
  }
}
