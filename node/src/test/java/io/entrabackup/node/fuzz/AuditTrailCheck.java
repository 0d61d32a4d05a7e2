package io.entrabackup.node.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An account's audit trail across the fuzz run, read with its own key. Its records from before must be there
 * unchanged: the newest keeps its sequence and hash (which chains every earlier one) and the chain verifies. A record
 * added during the run may only be one of {@link #EXPECTED}: what the account is meant to learn of a stranger's
 * refused attempt on its own things, never a record of something done to it.
 */
public final class AuditTrailCheck {

  /** A record a hostile request may add to another account's trail, and why it belongs there. */
  record Expected(String action, String outcome, String reason) {

    boolean covers(JsonNode record) {
      return action.equals(record.path("action").asText()) && outcome.equals(record.path("outcome").asText())
          && !record.hasNonNull("keyId");
    }
  }

  static final List<Expected> EXPECTED = List.of(new Expected("download.fetched", "refused",
      "the fuzz sends altered copies of B's signed download link; a refused fetch of an account's download is"
          + " recorded in its owner's trail, once an address and job a window (http-api/.../audit/Auditing"
          + "#downloadContent), so that the account sees someone tried"),
      new Expected("tenant.consent-callback-refused", "refused",
          "the fuzz replays and alters B's signed consent states; a refused callback whose state our keys signed is"
              + " recorded in the trail of the account the state names, once an address a window"
              + " (http-api/.../audit/Auditing#consentCallback), so that the account sees its consent link misused"));

  private static final String ALL = "/api/v1/audit?limit=500";

  /** Where a trail stood: how many records, and its newest. */
  public record Mark(long records, long sequence, String hash) {}

  private AuditTrailCheck() {}

  /** {@code get} answers the body of a 200 for a path, with the account's key. */
  public static Mark mark(Function<String, String> get) {
    JsonNode newest = parse(get.apply("/api/v1/audit?limit=1")).get("items").get(0);
    return new Mark(parse(get.apply("/api/v1/audit/verification")).get("records").asLong(),
        newest.get("sequence").asLong(), newest.get("hash").asText());
  }

  /** The records added since {@code before}, all of them. */
  public static List<JsonNode> addedSince(Mark before, Function<String, String> get) {
    List<JsonNode> added = new ArrayList<>();
    parse(get.apply(ALL)).get("items").forEach(record -> {
      if (record.get("sequence").asLong() > before.sequence()) {
        added.add(record);
      }
    });
    return added;
  }

  /** What is wrong with the trail now, given where it stood before: nothing, when the list is empty. */
  public static List<String> problems(Mark before, Function<String, String> get) {
    List<String> problems = new ArrayList<>();
    JsonNode check = parse(get.apply("/api/v1/audit/verification"));
    if (!check.path("intact").asBoolean()) {
      problems.add("the chain is broken: " + check);
    }
    boolean kept = false;
    for (JsonNode record : parse(get.apply(ALL)).get("items")) {
      kept |= record.get("sequence").asLong() == before.sequence() && record.get("hash").asText().equals(before.hash());
    }
    if (!kept) {
      problems.add("the newest record from before (" + before.sequence() + ", " + before.hash() + ") is gone or"
          + " altered");
    }
    List<JsonNode> added = addedSince(before, get);
    if (check.path("records").asLong() != before.records() + added.size()) {
      problems.add(before.records() + " records before, " + added.size() + " added, " + check.path("records")
          + " now");
    }
    added.stream().filter(record -> EXPECTED.stream().noneMatch(expected -> expected.covers(record)))
        .forEach(record -> problems.add("a record added by the run: " + record));
    return problems;
  }

  private static JsonNode parse(String body) {
    return AccountState.parse(body);
  }
}
