package io.entrabackup.simulator;

import io.entrabackup.simulator.admin.RequestLog;
import io.entrabackup.simulator.directory.Directory;
import io.entrabackup.simulator.graph.Quirks;
import io.entrabackup.simulator.identity.AppRegistry;
import io.entrabackup.simulator.identity.TokenService;
import io.entrabackup.simulator.throttle.Faults;
import io.entrabackup.simulator.throttle.Throttle;
import java.util.concurrent.atomic.AtomicReference;

/** The simulator's shared state, handed to every route: one instance per running simulator. */
public final class Services {
  private final SimClock clock;
  private final Directory directory;
  private final AppRegistry apps;
  private final TokenService tokens;
  private final Throttle throttle;
  private final Faults faults;
  private final RequestLog requestLog;
  private final Quirks quirks = new Quirks();
  private final AtomicReference<String> consentMode;
  private volatile String baseUrl = "https://127.0.0.1";
  private final byte[] linkKey;
  private volatile long epoch = new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;

  public Services(SimulatorConfig config) {
    this.clock = new SimClock();
    this.directory = new Directory(config.seed(), clock);
    this.apps = new AppRegistry();
    this.tokens = new TokenService(clock, config.stateDir());
    this.throttle = new Throttle(config.throttleScale(), config.throttleEnabled());
    this.faults = new Faults(config.seed());
    this.requestLog = new RequestLog();
    this.consentMode = new AtomicReference<>(config.consentMode());
    this.linkKey = java.nio.ByteBuffer.allocate(8).putLong(config.seed() ^ 0x11A7E5EEDL).array();
  }

  public SimClock clock() { return clock; }
  public Directory directory() { return directory; }
  public AppRegistry apps() { return apps; }
  public TokenService tokens() { return tokens; }
  public Throttle throttle() { return throttle; }
  public Faults faults() { return faults; }
  public RequestLog requestLog() { return requestLog; }
  public Quirks quirks() { return quirks; }
  /** "page", "consent" or "refuse": what the admin consent endpoint does. */
  public AtomicReference<String> consentMode() { return consentMode; }
  public String baseUrl() { return baseUrl; }
  public String graphBaseUrl() { return baseUrl + "/v1.0"; }
  public byte[] linkKey() { return linkKey; }
  /** Identifies this run: links issued by an earlier run of the simulator point into a change log that is gone. */
  public long epoch() { return epoch; }

  /**
   * Carries on an earlier run's links: a kept state (see {@code state.KeptState}) whose change log was replayed
   * exactly makes the links that run issued point at the same changes again.
   */
  public void continueEpoch(long earlier) {
    this.epoch = earlier;
  }

  void baseUrl(String url) {
    this.baseUrl = url;
  }
}
