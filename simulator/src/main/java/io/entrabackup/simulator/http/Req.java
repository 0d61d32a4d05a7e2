package io.entrabackup.simulator.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An HTTP request with its body read, decoded into what the simulator's routes need. */
public record Req(String method, String path, List<String> segments, Map<String, String> query, String rawQuery,
                  Map<String, String> headers, byte[] body) {

  public static Req of(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
    List<String> segs = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        segs.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return new Req(method, rawPath, Collections.unmodifiableList(segs), parseQuery(rawQuery), rawQuery == null ? "" : rawQuery,
        headers, body);
  }

  /** Parses a query string or a form body into a map (first value wins). */
  public static Map<String, String> parseQuery(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.putIfAbsent(k, v);
    }
    return q;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String param(String name) {
    return query.get(name);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public String segment(int i) {
    return i < segments.size() ? segments.get(i) : null;
  }
}
