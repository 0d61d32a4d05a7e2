package io.entrabackup.simulator;

import io.entrabackup.simulator.bench.SimulatorBenchmark;
import io.entrabackup.simulator.identity.AppRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs the simulator stand-alone: {@code java -jar simulator.jar --port 9443 --tenants 1 --users 1000 --groups 100 --seed 42}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    // The library ships no logback.xml (it would fight the product's); the stand-alone server brings its own.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "simulator-logback.xml");
    }
    if (Arrays.asList(args).contains("--help")) {
      System.out.println(usage());
      return;
    }
    if (Arrays.asList(args).contains("--bench")) {
      SimulatorBenchmark.main(new String[0]);
      return;
    }
    SimulatorConfig config = parse(args);
    Simulator sim;
    try {
      sim = Simulator.start(config);
    } catch (RuntimeException e) {
      // One line a person (or deploy/run, which shows the log's end) can act on, then the cause for the curious.
      System.err.println("simulator: not started: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    applyRuntimeFlags(sim, args);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      stopped.countDown();
    }, "simulator-shutdown"));
    System.out.println("entra-backup simulator listening on " + sim.baseUrl());
    System.out.println("  Graph:        " + sim.graphBaseUrl());
    System.out.println("  Admin API:    " + sim.baseUrl() + "/_simulator/");
    System.out.println("  Trust store:  " + sim.trustStorePath() + " (PKCS12, password '" + sim.trustStorePassword() + "')");
    System.out.println("  CA (PEM):     " + sim.caPemPath());
    if (config.keepState()) {
      System.out.println("  Kept state:   " + config.stateDir().toAbsolutePath()
          + " (consents, registrations and directory changes survive a restart)");
    }
    for (TenantInfo t : sim.tenants()) {
      System.out.println("  Tenant:       " + t.id() + "  " + t.domain() + "  (" + t.users() + " users, " + t.groups() + " groups)");
      System.out.println("    authority:  " + sim.authority(t.id()));
    }
    for (SimulatorConfig.AppRegistration a : config.apps()) {
      System.out.println("  App:          " + a.clientId() + (a.consentAllTenants() ? " (consented in every tenant)" : ""));
    }
    stopped.await();
  }

  static SimulatorConfig parse(String[] args) {
    SimulatorConfig.Builder b = SimulatorConfig.builder().port(9443).users(1000).groups(100).stateDir(Path.of("simulator-state"));
    List<String> appSpecs = new ArrayList<>();
    List<String> permissions = null;
    boolean consentAll = false;
    List<String> appRoles = new ArrayList<>();
    String groupClaims = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--host" -> b.host(args[++i]);
        case "--port" -> b.port(Integer.parseInt(args[++i]));
        case "--tenants" -> b.tenants(Integer.parseInt(args[++i]));
        case "--users" -> b.users(Integer.parseInt(args[++i]));
        case "--groups" -> b.groups(Integer.parseInt(args[++i]));
        case "--seed" -> b.seed(Long.parseLong(args[++i]));
        case "--state-dir" -> b.stateDir(Path.of(args[++i]));
        case "--keep-state" -> b.keepState(true);
        case "--truststore-password" -> b.trustStorePassword(args[++i]);
        case "--throttle-scale" -> b.throttleScale(Double.parseDouble(args[++i]));
        case "--no-throttle" -> b.throttleEnabled(false);
        case "--consent-mode" -> b.consentMode(args[++i]);
        case "--app" -> appSpecs.add(args[++i]);
        case "--app-permissions" -> permissions = args[i + 1].equals("read") ? AppRegistry.READ_PERMISSIONS
            : args[i + 1].equals("readwrite") ? AppRegistry.DEFAULT_PERMISSIONS : List.of(args[i + 1].split(","));
        case "--consent-all" -> consentAll = true;
        case "--app-directory-role" -> appRoles.add(args[++i]);
        case "--app-group-membership-claims" -> groupClaims = args[++i];
        case "--fault", "--quirk", "--clock" -> i++;
        case "--fractional-retry-after" -> { }
        default -> throw new IllegalArgumentException("Unknown flag " + a + "\n" + usage());
      }
      if (a.equals("--app-permissions")) {
        i++;
      }
    }
    for (String spec : appSpecs) {
      String[] parts = spec.split(":", 3);
      if (parts.length < 2) {
        throw new IllegalArgumentException("--app needs clientId:secret[:redirectUri1,redirectUri2]");
      }
      List<String> redirects = parts.length == 3 ? List.of(parts[2].split(",")) : List.of();
      b.app(new SimulatorConfig.AppRegistration(parts[0], parts[1], redirects, permissions, consentAll,
          List.copyOf(appRoles), groupClaims));
    }
    return b.build();
  }

  /** Flags that act on the running simulator: faults, quirks, clock, Retry-After style. */
  static void applyRuntimeFlags(Simulator sim, String[] args) {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--fault" -> {
          String[] f = args[++i].split(":", -1);
          sim.admin().addFault(io.entrabackup.simulator.throttle.Faults.Kind.valueOf(f[0].toUpperCase(java.util.Locale.ROOT)),
              f.length > 1 && !f[1].isEmpty() ? Double.parseDouble(f[1]) : 1.0,
              f.length > 2 && !f[2].isEmpty() ? Integer.parseInt(f[2]) : -1,
              f.length > 3 ? f[3] : "",
              f.length > 4 && !f[4].isEmpty() ? Double.valueOf(f[4]) : null,
              f.length > 5 && !f[5].isEmpty() ? Long.parseLong(f[5]) : 0);
        }
        case "--quirk" -> {
          String q = args[++i];
          switch (q) {
            case "removedInFullRounds" -> sim.admin().quirks(true, null);
            case "omitMemberRemovalsOfDeletedUsers" -> sim.admin().quirks(null, true);
            case "unchangedPropertiesInRounds" -> sim.admin().unchangedPropertiesInRounds(true);
            default -> throw new IllegalArgumentException("Unknown quirk " + q);
          }
        }
        case "--clock" -> sim.admin().setClock(java.time.Instant.parse(args[++i]));
        case "--fractional-retry-after" -> sim.admin().throttle(null, null, true);
        default -> { }
      }
    }
  }

  static String usage() {
    return String.join("\n",
        "Usage: java -jar simulator.jar [flags]",
        "  --host H                 listen address (default 127.0.0.1)",
        "  --port N                 HTTPS port (default 9443; 0 = ephemeral)",
        "  --tenants N              tenants to generate (default 1)",
        "  --users N                users per tenant (default 1000)",
        "  --groups N               groups per tenant (default 100)",
        "  --seed N                 generator seed (default 42); same seed, same tenants and ids",
        "  --state-dir DIR          where the CA/cert PEM files and PKCS12 stores go (default ./simulator-state)",
        "  --keep-state             keep app registrations, consents, the clock and every directory change in the",
        "                           state dir and restore them at the next start (same seed and sizes)",
        "  --truststore-password P  password of the PKCS12 trust/key stores (default changeit)",
        "  --throttle-scale F       multiply every throttling budget by F (e.g. 0.01)",
        "  --no-throttle            disable throttling",
        "  --consent-mode M         page | consent | refuse: what the admin consent endpoint does (default page)",
        "  --app ID:SECRET[:URIS]   register a multi-tenant app (repeatable); URIS = comma-separated redirect URIs",
        "  --app-permissions P      read | readwrite | comma list of application permissions for the --app entries",
        "  --consent-all            consent the --app entries in every generated tenant at start",
        "  --app-directory-role ID  give the --app entries this Entra role (template id) in every tenant (repeatable);",
        "                           7be44c8a-adaf-4e2a-84d6-ab2649e08a13 lets a restore app write admin users",
        "  --app-group-membership-claims V  the --app entries' groupMembershipClaims: None | SecurityGroup |",
        "                           DirectoryRole | ApplicationGroup | All; DirectoryRole or All put the signed-in",
        "                           user's directory roles in ID tokens (wids), which entra-backup needs",
        "  --fault K[:RATE[:COUNT[:PATH[:RETRY_AFTER[:DELAY_MS]]]]]",
        "                           inject a fault (repeatable): STATUS_503, STATUS_504, SLOW, RESET, TRUNCATE,",
        "                           EXPIRED_DELTA, GONE_410, EXPIRED_ACCESS_TOKEN; rate 0-1 (1), count (-1 = always)",
        "  --quirk Q                removedInFullRounds | omitMemberRemovalsOfDeletedUsers | unchangedPropertiesInRounds",
        "  --clock INSTANT          start the simulator clock at this time (e.g. 2027-01-01T00:00:00Z)",
        "  --fractional-retry-after send Retry-After with milliseconds (2.128) on 429",
        "  --bench                  run the benchmark and exit",
        "  --help                   this text");
  }
}
