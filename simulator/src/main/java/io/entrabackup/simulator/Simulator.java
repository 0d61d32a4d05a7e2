package io.entrabackup.simulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.simulator.admin.AdminRoutes;
import io.entrabackup.simulator.admin.SimulatorAdmin;
import io.entrabackup.simulator.graph.GraphRoutes;
import io.entrabackup.simulator.http.HttpServer;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.http.Resp;
import io.entrabackup.simulator.identity.AppRegistry;
import io.entrabackup.simulator.identity.IdentityRoutes;
import io.entrabackup.simulator.state.KeptState;
import io.entrabackup.simulator.tls.TlsMaterial;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running simulator: the Microsoft identity platform and Graph v1.0 on one HTTPS port, distinguished by path
 * ({@code /v1.0/...} is Graph, {@code /_simulator/...} is the admin API, anything else starts with a tenant).
 */
public final class Simulator implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  private final SimulatorConfig config;
  private final Services services;
  private final TlsMaterial tls;
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final SimulatorAdmin admin;
  private final KeptState kept;

  private Simulator(SimulatorConfig config, Services services, TlsMaterial tls, ActorSystem<Void> system,
                    ServerBinding binding, KeptState kept) {
    this.config = config;
    this.kept = kept;
    this.services = services;
    this.tls = tls;
    this.system = system;
    this.binding = binding;
    this.admin = new SimulatorAdmin(services);
  }

  /**
   * Generates the tenants, creates or loads the TLS material, restores the kept state (with {@code keepState}), and
   * returns once the port is listening.
   */
  public static Simulator start(SimulatorConfig config) {
    TlsMaterial tls = TlsMaterial.loadOrCreate(config.stateDir(), config.trustStorePassword());
    KeptState kept = config.keepState() ? KeptState.open(config.stateDir()) : null;
    try {
      return start(config, tls, kept);
    } catch (RuntimeException e) {
      if (kept != null) {
        kept.close();
      }
      throw e;
    }
  }

  private static Simulator start(SimulatorConfig config, TlsMaterial tls, KeptState kept) {
    Services services = new Services(config);
    for (int i = 0; i < config.tenants(); i++) {
      services.directory().createTenant(config.users(), config.groups());
    }
    if (kept != null) {
      kept.restore(services, config);
    }
    for (SimulatorConfig.AppRegistration app : config.apps()) {
      services.apps().register(app.clientId(), app.clientSecret(), app.redirectUris(), app.permissions());
      if (app.groupMembershipClaims() != null) {
        services.apps().groupMembershipClaims(app.clientId(), app.groupMembershipClaims());
      }
      if (app.consentAllTenants()) {
        services.directory().tenants().forEach(t -> services.apps().consent(t.id().toString(), app.clientId(), null));
      }
      for (String role : app.directoryRoles()) {
        services.directory().tenants().forEach(t -> services.apps().grantDirectoryRole(t.id().toString(), app.clientId(), role));
      }
    }
    if (kept != null) {
      kept.keep(services);
    }
    // Its own configuration only: started inside another application's JVM (tests), it must not pick up that
    // application's application.conf (a cluster provider binding the application's remoting port).
    Config pekko = ConfigFactory.parseString(String.join("\n",
        "pekko.actor.provider = local",
        "pekko.loglevel = WARNING",
        "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
        "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
        "pekko.http.server.parsing.uri-parsing-mode = relaxed",
        "pekko.http.server.request-timeout = 120s",
        "pekko.http.server.idle-timeout = 300s",
        "pekko.http.server.max-connections = 4096",
        "pekko.http.server.parsing.max-content-length = 16m",
        "pekko.http.server.parsing.max-uri-length = 16k",
        "pekko.coordinated-shutdown.exit-jvm = off",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "entra-simulator", pekko);
    IdentityRoutes identity = new IdentityRoutes(services);
    GraphRoutes graph = new GraphRoutes(services);
    AdminRoutes adminRoutes = new AdminRoutes(new SimulatorAdmin(services));
    try {
      ServerBinding binding = new HttpServer(system).bind(config.host(), config.port(), tls.serverContext(),
              req -> route(services, identity, graph, adminRoutes, req))
          .toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      InetSocketAddress addr = binding.localAddress();
      services.baseUrl("https://" + config.host() + ":" + addr.getPort());
      LOG.info("Simulator listening on {} with {} tenant(s) of {} users and {} groups (seed {})", services.baseUrl(),
          config.tenants(), config.users(), config.groups(), config.seed());
      return new Simulator(config, services, tls, system, binding, kept);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("The simulator could not listen on " + config.host() + ":" + config.port(), e);
    }
  }

  private static Resp route(Services services, IdentityRoutes identity, GraphRoutes graph, AdminRoutes admin, Req req) {
    long started = System.nanoTime();
    String first = req.segment(0);
    if ("_simulator".equals(first)) {
      return admin.handle(req);
    }
    Resp resp;
    int ru = 0;
    boolean fault = false;
    if ("v1.0".equals(first)) {
      services.requestLog().clientRequestId(req.header("client-request-id"));
      GraphRoutes.Outcome o = graph.handle(req);
      resp = o.resp();
      ru = o.resourceUnits();
      fault = o.fault();
    } else {
      io.entrabackup.simulator.throttle.Faults.Rule rule = first == null ? null
          : services.faults().pickForIdentity(req.path() + "?" + req.rawQuery());
      fault = rule != null;
      resp = first == null ? null : rule != null ? identity.withFault(rule, req) : identity.handle(req);
      if (resp == null) {
        resp = GraphRoutes.error(404, "NotFound", "No simulator endpoint answers " + req.method() + " " + req.path(),
            java.util.UUID.randomUUID().toString(), "");
      }
    }
    services.requestLog().record(req.method(), req.path(), resp.status(), resp.body().length, ru,
        (System.nanoTime() - started) / 1000, fault, resp.headers().get("Retry-After"));
    return resp;
  }

  /** {@code https://127.0.0.1:PORT}: the identity platform lives at {baseUrl}/{tenant}/... */
  public String baseUrl() { return services.baseUrl(); }

  /** {@code https://127.0.0.1:PORT/v1.0}. */
  public String graphBaseUrl() { return services.graphBaseUrl(); }

  /** The MSAL authority for a tenant: {@code https://127.0.0.1:PORT/{tenant}/}. */
  public String authority(String tenantId) { return baseUrl() + "/" + tenantId + "/"; }

  public int port() { return binding.localAddress().getPort(); }
  public Path trustStorePath() { return tls.trustStorePath().toAbsolutePath(); }
  public String trustStorePassword() { return tls.password(); }
  public Path caPemPath() { return config.stateDir().resolve(TlsMaterial.CA_PEM).toAbsolutePath(); }

  /** An SSL context that trusts exactly the simulator's CA. */
  public SSLContext sslContext() { return tls.clientContext(); }

  /** A java.net.http client that trusts the simulator (HTTP/1.1, no redirects followed). */
  public HttpClient httpClient() {
    return HttpClient.newBuilder().sslContext(sslContext()).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
  }

  public List<TenantInfo> tenants() { return admin.tenants(); }

  /** Registers a multi-tenant app asking for the default read/write permissions; consented nowhere yet. */
  public AppRegistry.App registerApp(String clientId, String clientSecret, List<String> redirectUris) {
    return services.apps().register(clientId, clientSecret, redirectUris, null);
  }

  /**
   * Sets an app registration's groupMembershipClaims ("DirectoryRole" or "All" put the signed-in user's directory
   * roles in its ID tokens as {@code wids}; null or "None" none, a new registration's default).
   */
  public void groupMembershipClaims(String clientId, String value) {
    services.apps().groupMembershipClaims(clientId, value);
  }

  public SimulatorAdmin admin() { return admin; }
  public SimClock clock() { return services.clock(); }
  public SimulatorConfig config() { return config; }

  @Override
  public void close() {
    try {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // shutting down anyway
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
    if (kept != null) {
      kept.close();
    }
  }
}
