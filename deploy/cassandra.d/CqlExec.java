// Runs one CQL statement against one node and prints the rows, cqlsh-style.
// Used by `deploy/cassandra exec`; not part of the entra-backup build.
//
// cassandra-all ships no cqlsh (that is Python), but it does depend on the
// Cassandra Java driver 3.x (org.apache.cassandra:cassandra-driver-core, shaded),
// so the server's own classpath is enough to run this: no extra download.
//
// Usage: java -cp <classes>:<cassandra lib>/* CqlExec HOST PORT "CQL"
// A node in secure mode (deploy/cassandra's CASSANDRA_TLS_DIR): CQL_USERNAME and CQL_PASSWORD log in,
// CQL_TRUSTSTORE (PKCS12) and CQL_TRUSTSTORE_PASSWORD turn TLS on; from the environment, never the command line.
import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.ColumnDefinitions;
import com.datastax.driver.core.ResultSet;
import com.datastax.driver.core.Row;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.SocketOptions;
import com.datastax.driver.core.policies.DCAwareRoundRobinPolicy;
import com.datastax.driver.core.policies.WhiteListPolicy;
import com.datastax.driver.core.utils.Bytes;

import com.datastax.driver.core.RemoteEndpointAwareJdkSSLOptions;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

public class CqlExec {
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: CqlExec HOST PORT \"CQL\"");
            System.exit(64);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String cql = args[2];
        InetSocketAddress node = new InetSocketAddress(host, port);
        // The white list keeps every request on the node asked for: `exec --node 2
        // "SELECT ... FROM system.local"` must answer for node 2, not whichever the
        // driver's balancing picks. Long read timeout: schema changes on a busy
        // 2-core box can take several seconds.
        Cluster.Builder builder = Cluster.builder();
        String user = System.getenv("CQL_USERNAME");
        if (user != null && !user.isEmpty()) {
            builder.withCredentials(user, System.getenv("CQL_PASSWORD"));
        }
        String trustStore = System.getenv("CQL_TRUSTSTORE");
        if (trustStore != null && !trustStore.isEmpty()) {
            builder.withSSL(RemoteEndpointAwareJdkSSLOptions.builder()
                    .withSSLContext(trusting(trustStore, System.getenv("CQL_TRUSTSTORE_PASSWORD"))).build());
        }
        Cluster cluster = builder
                .addContactPointsWithPorts(node)
                .withLoadBalancingPolicy(new WhiteListPolicy(
                        DCAwareRoundRobinPolicy.builder().build(), List.of(node)))
                .withSocketOptions(new SocketOptions().setConnectTimeoutMillis(5_000).setReadTimeoutMillis(60_000))
                .withoutJMXReporting()
                .withoutMetrics()
                .build();
        int status = 0;
        try {
            Session session = cluster.connect();
            print(session.execute(cql));
        } catch (RuntimeException e) {
            System.err.println("cql error: " + e.getMessage());
            status = 2;
        }
        System.out.flush();
        // No cluster.close(): the driver's Netty shutdown waits a 2 s quiet period,
        // longer than the query. The server just sees the connection go.
        System.exit(status);
    }

    private static SSLContext trusting(String path, String password) {
        try (InputStream in = new FileInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("trust store " + path + " not readable: " + e.getMessage(), e);
        }
    }

    private static void print(ResultSet rs) {
        ColumnDefinitions defs = rs.getColumnDefinitions();
        int n = defs.size();
        if (n == 0) {
            return; // DDL and writes: nothing to show, as in cqlsh
        }
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[n];
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            header[i] = defs.getName(i);
            width[i] = header[i].length();
        }
        for (Row row : rs) { // iterating pages through the whole result
            String[] line = new String[n];
            for (int i = 0; i < n; i++) {
                line[i] = render(row.getObject(i));
                width[i] = Math.max(width[i], line[i].length());
            }
            lines.add(line);
        }
        System.out.println(format(header, width));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rule.append(i == 0 ? "" : "+").append("-".repeat(width[i] + 2));
        }
        System.out.println(rule);
        for (String[] line : lines) {
            System.out.println(format(line, width));
        }
        System.out.println();
        System.out.println("(" + lines.size() + " rows)");
    }

    private static String format(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? " " : " | ").append(cells[i]).append(" ".repeat(width[i] - cells[i].length()));
        }
        return sb.toString().stripTrailing();
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof ByteBuffer) {
            return Bytes.toHexString((ByteBuffer) value);
        }
        return value.toString();
    }
}
