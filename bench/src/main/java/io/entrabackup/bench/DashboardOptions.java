package io.entrabackup.bench;

import java.nio.file.Path;

/** The command line of the dashboard benchmark ({@code deploy/bench --dashboard --help}). */
record DashboardOptions(Path root, Path out, int tenants, int warmups, int repeats, int pageSize, int pagesWalked,
    String nodeHeap, String cassandra, String datacenter, boolean keepData, boolean help) {

  static final String USAGE = String.join("\n",
      "usage: deploy/bench --dashboard [options]",
      "  The dashboard's tenant list with one account of many tenants: its rows are seeded straight into the read",
      "  model (tenants_by_account, through TenantDirectory), then GET /api/v1/tenants is timed over HTTP as the",
      "  portal asks it (first page by name, searches, needs-attention filter, last-backup sort, pages by cursor).",
      "  --tenants N             tenants of the account (default 10000)",
      "  --warmups N             rounds of every query before the timed ones (default 3)",
      "  --repeats N             timed rounds of every query (default 10)",
      "  --page-size N           limit of each request (default 50, the portal's page)",
      "  --pages N               pages walked by cursor (default 5)",
      "  --node-heap H           -Xmx of the node (default 1g, as deploy/run)",
      "  --cassandra HOST:PORT   (default 127.0.0.1:9042)",
      "  --keep-data             keep the benchmark's keyspace (dropped by default)",
      "  --out DIR               where logs and dashboard.txt go (default target/bench)");

  /** The options; an unknown option or a bad number is an IllegalArgumentException naming it. */
  static DashboardOptions parse(String[] args) {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    Path out = root.resolve("target/bench");
    int tenants = 10_000;
    int warmups = 3;
    int repeats = 10;
    int pageSize = 50;
    int pages = 5;
    String nodeHeap = "1g";
    String cassandra = "127.0.0.1:9042";
    boolean keep = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dashboard" -> { }
        case "--tenants" -> tenants = positive(args, ++i);
        case "--warmups" -> warmups = Math.max(0, number(args, ++i));
        case "--repeats" -> repeats = positive(args, ++i);
        case "--page-size" -> pageSize = positive(args, ++i);
        case "--pages" -> pages = positive(args, ++i);
        case "--node-heap" -> nodeHeap = value(args, ++i);
        case "--cassandra" -> cassandra = value(args, ++i);
        case "--keep-data" -> keep = true;
        case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new DashboardOptions(root, out, tenants, warmups, repeats, pageSize, pages, nodeHeap, cassandra,
        "datacenter1", keep, help);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static int number(String[] args, int i) {
    String text = value(args, i);
    try {
      return Integer.parseInt(text.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i - 1] + " takes a number, not " + text);
    }
  }

  private static int positive(String[] args, int i) {
    int n = number(args, i);
    if (n < 1) {
      throw new IllegalArgumentException(args[i - 1] + " must be at least 1");
    }
    return n;
  }

  String describe() {
    return String.format("%,d tenants in one account, %d warm-up and %d timed rounds per query, pages of %d,"
        + " %d pages walked by cursor, node -Xmx%s", tenants, warmups, repeats, pageSize, pagesWalked, nodeHeap);
  }
}
