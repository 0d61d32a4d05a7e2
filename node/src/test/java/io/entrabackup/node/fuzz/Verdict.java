package io.entrabackup.node.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import io.entrabackup.node.fuzz.FuzzRunner.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Judges each answer of the run: no 5xx; 2xx for valid input; every 4xx a problem document (HTML allowed on the
 * consent pages); no internal text in any body; no markup of the request reflected into a page. Tallies by category.
 */
public final class Verdict {

  /** Text that belongs to the node's insides, never to an answer: exception and class names, stack frames, paths. */
  static final List<String> INTERNALS = List.of("Exception", "exception", "java.", "javax.", "scala.", "at io.",
      "io.entrabackup", "org.apache", "com.fasterxml", "datastax", "Cassandra", "CqlSession", "AllNodesFailed",
      "NoNodeAvailable", "InvalidQuery", "SELECT ", "INSERT ", "Caused by",
      ".java:", "\tat ", "/home/", "/work/", "/tmp/", "StreamReadConstraints", "Jackson", "jackson", "pekko", "Pekko",
      "akka", "NullPointer", "stack trace", "keyspace", "[Source:", "REDACTED", "getMaxNestingDepth");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One wrong answer: what was wrong with it, and the answer. */
  public record Finding(String kind, Answer answer) {
    @Override
    public String toString() {
      String body = answer.body().length() > 300 ? answer.body().substring(0, 300) + "..." : answer.body();
      return kind + ": " + answer.request() + sent(answer.request()) + " -> " + answer.status() + " "
          + answer.contentType() + " " + (answer.failure() == null ? "" : "(" + answer.failure() + ") ")
          + body.replace("\n", " ");
    }

    /** The headers and body sent (or the raw bytes), each cut short, for a finding's reader. */
    private static String sent(FuzzRequest request) {
      if (request.raw() != null) {
        String raw = new String(request.raw(), java.nio.charset.StandardCharsets.ISO_8859_1);
        return " [" + cut(raw.replace("\r", "\\r").replace("\n", "\\n"), 200) + "]";
      }
      StringBuilder sent = new StringBuilder();
      request.headers().stream().limit(4).forEach(h -> sent.append(" [").append(h[0]).append(": ")
          .append(cut(h[1], 80)).append(']'));
      if (request.body() != null) {
        sent.append(" body ").append(request.body().length).append(" bytes: ")
            .append(cut(new String(request.body(), java.nio.charset.StandardCharsets.UTF_8), 120));
      }
      return sent.toString();
    }

    private static String cut(String text, int max) {
      return text.length() > max ? text.substring(0, max) + "...(" + text.length() + ")" : text;
    }
  }

  /** The counts of one category. */
  public static final class Tally {
    int requests;
    int ok;
    int refused;
    int serverErrors;
    int leaks;
    long millis;
    long slowest;
    final Map<String, Integer> findings = new TreeMap<>();

    @Override
    public String toString() {
      return String.format("%6d requests %6d 2xx/3xx %6d 4xx %4d 5xx %4d leaks %5d ms mean %6d ms max  %s", requests,
          ok, refused, serverErrors, leaks, millis / Math.max(1, requests), slowest,
          findings.isEmpty() ? "" : findings);
    }
  }

  private final Map<String, Tally> tallies = new TreeMap<>();
  private final List<Finding> findings = new ArrayList<>();
  /** Every answer's status (0: none came) to how many times it was answered. */
  private final Map<Integer, Integer> statuses = new TreeMap<>();

  public void judge(List<Answer> answers) {
    answers.forEach(this::judge);
  }

  public List<Finding> findings() {
    return findings;
  }

  public int requests() {
    return tallies.values().stream().mapToInt(t -> t.requests).sum();
  }

  /** How many answers were 5xx, in every category. */
  public int serverErrors() {
    return tallies.values().stream().mapToInt(t -> t.serverErrors).sum();
  }

  public String report() {
    StringBuilder report = new StringBuilder();
    tallies.forEach((category, tally) -> report.append(String.format("  %-16s %s%n", category, tally)));
    report.append("  statuses: ").append(statuses).append(System.lineSeparator());
    return report.toString();
  }

  private void judge(Answer answer) {
    FuzzRequest request = answer.request();
    Tally tally = tallies.computeIfAbsent(request.category(), c -> new Tally());
    tally.requests++;
    statuses.merge(answer.status(), 1, Integer::sum);
    tally.millis += answer.millis();
    tally.slowest = Math.max(tally.slowest, answer.millis());
    int status = answer.status();
    if (status >= 200 && status < 400) {
      tally.ok++;
    } else if (status >= 400 && status < 500) {
      tally.refused++;
    } else if (status >= 500) {
      tally.serverErrors++;
    }
    problem(answer).ifPresent(kind -> {
      findings.add(new Finding(kind, answer));
      tally.findings.merge(kind, 1, Integer::sum);
      if (kind.startsWith("internal text") || kind.equals("reflected markup")) {
        tally.leaks++;
      }
    });
  }

  /** What is wrong with the answer, if anything (the first thing found). */
  static Optional<String> problem(Answer answer) {
    FuzzRequest request = answer.request();
    int status = answer.status();
    if (status == 0) {
      // A byte stream no parser can read may be dropped without a word; anything else deserves an answer.
      return request.raw() != null && request.expect() != Expect.OK && answer.failure() != null
          && answer.failure().contains("closed") ? Optional.empty() : Optional.of("no answer");
    }
    if (status >= 500) {
      return Optional.of("5xx");
    }
    Optional<String> leak = leak(answer);
    if (leak.isPresent()) {
      return leak;
    }
    boolean success = status < 400;
    if (request.expect() == Expect.OK && !success) {
      return Optional.of("valid input refused");
    }
    if (request.expect() == Expect.REFUSED && success) {
      return Optional.of("hostile input accepted");
    }
    return success ? Optional.empty() : notAProblemDocument(answer);
  }

  private static Optional<String> leak(Answer answer) {
    String path = answer.request().path();
    boolean ownStaticFile =
        answer.status() < 300 && (path.startsWith("/portal/") || answer.contentType().contains("zip"));
    if (ownStaticFile) {
      return Optional.empty();
    }
    for (String internal : INTERNALS) {
      if (answer.body().contains(internal)) {
        return Optional.of("internal text '" + internal + "'");
      }
    }
    if (answer.contentType().startsWith("text/html") && answer.body().contains("<script")) {
      return Optional.of("reflected markup");
    }
    return Optional.empty();
  }

  private static Optional<String> notAProblemDocument(Answer answer) {
    if (answer.request().htmlAllowed() && answer.contentType().startsWith("text/html")) {
      return Optional.empty();
    }
    if (answer.request().method().equals("HEAD") && answer.body().isEmpty()) {
      return Optional.empty();
    }
    if (!answer.contentType().startsWith("application/problem+json")) {
      return Optional.of("not a problem document (" + answer.contentType() + ")");
    }
    try {
      JsonNode problem = JSON.readTree(answer.body());
      if (problem.path("status").asInt() != answer.status() || !problem.hasNonNull("title")) {
        return Optional.of("problem document of another status");
      }
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of("problem document not JSON");
    }
  }
}
