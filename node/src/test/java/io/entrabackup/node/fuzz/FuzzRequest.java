package io.entrabackup.node.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request of the fuzz run: what is sent and what answer it may have. A request the JDK client cannot send as
 * written (an invalid URI, a header it refuses) goes over a plain socket byte for byte; {@code raw} requests always do.
 *
 * @param headers name and value pairs, in order, repeats allowed
 * @param raw the whole request as bytes, sent as they are (the other fields then only describe it)
 */
public record FuzzRequest(
    String category, Expect expect, String method, String path, List<String[]> headers, byte[] body, byte[] raw) {

  /** What a right answer is. */
  public enum Expect {
    /** Valid input: a 2xx (or the redirect a page answers). */
    OK,
    /** Hostile input: a 4xx problem document. */
    REFUSED,
    /** Odd but possibly valid input: 2xx, or a 4xx problem document. */
    EITHER
  }

  public static FuzzRequest of(String category, Expect expect, String method, String path) {
    return new FuzzRequest(category, expect, method, path, List.of(), null, null);
  }

  public FuzzRequest withHeader(String name, String value) {
    List<String[]> more = new java.util.ArrayList<>(headers);
    more.add(new String[] {name, value});
    return new FuzzRequest(category, expect, method, path, List.copyOf(more), body, raw);
  }

  /** With a body; a JSON content type unless a header already says another. */
  public FuzzRequest withBody(String text) {
    return withBody(text.getBytes(StandardCharsets.UTF_8));
  }

  public FuzzRequest withBody(byte[] bytes) {
    FuzzRequest withBody = new FuzzRequest(category, expect, method, path, headers, bytes, raw);
    boolean typed = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Content-Type"));
    return typed ? withBody : withBody.withHeader("Content-Type", "application/json");
  }

  /** The same request with another expectation. */
  public FuzzRequest expecting(Expect other) {
    return new FuzzRequest(category, other, method, path, headers, body, raw);
  }

  public FuzzRequest withKey(String key) {
    return withHeader("Authorization", "Bearer " + key);
  }

  public static FuzzRequest raw(String category, Expect expect, String description, byte[] bytes) {
    return new FuzzRequest(category, expect, "RAW", description, List.of(), null, bytes);
  }

  /** Pages (the consent callback and the page it leads to) may answer HTML; everything else problem documents. */
  public boolean htmlAllowed() {
    // The path may be bent (a dot segment, a double slash) and still reach them.
    return path.contains("callback") || path.contains("portal");
  }

  @Override
  public String toString() {
    String shown = path.length() > 160 ? path.substring(0, 160) + "...(" + path.length() + " chars)" : path;
    return category + " " + method + " " + shown;
  }
}
