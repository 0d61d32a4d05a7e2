package io.entrabackup.simulator.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response as the routes build it. {@code fault} lets fault injection ask the transport to misbehave: cut the body,
 * reset the connection, or answer late.
 */
public record Resp(int status, String contentType, byte[] body, Map<String, String> headers, Fault fault, long delayMillis) {
  /** How the transport should damage this response. */
  public enum Fault { NONE, TRUNCATE, RESET }

  public static Resp of(int status, String contentType, byte[] body) {
    return new Resp(status, contentType, body, new LinkedHashMap<>(), Fault.NONE, 0);
  }

  public static Resp json(int status, byte[] body) {
    return of(status, "application/json", body);
  }

  public static Resp html(int status, String html) {
    return of(status, "text/html", html.getBytes(StandardCharsets.UTF_8));
  }

  public static Resp empty(int status) {
    return of(status, null, new byte[0]);
  }

  public Resp header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Resp withFault(Fault f) {
    return new Resp(status, contentType, body, headers, f, delayMillis);
  }

  public Resp withDelay(long millis) {
    return new Resp(status, contentType, body, headers, fault, millis);
  }
}
