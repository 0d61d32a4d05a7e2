package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Paging as the API does it: {@code limit} and {@code cursor} in, pages of {@code items} with a {@code next} out. The
 * options every list command mixes in ({@code @Mixin}), and a page told to a person under a table.
 */
final class Pages {

  @Option(names = "--limit", description = "At most this many (the server's default and maximum apply).")
  Integer limit;
  @Option(names = "--cursor", description = "The page after this one: the 'next' a previous list printed.")
  String cursor;

  /** Adds the page asked for to a list's {@code query}. */
  void addTo(Map<String, Optional<String>> query) {
    query.put("limit", Optional.ofNullable(limit).map(String::valueOf));
    query.put("cursor", Optional.ofNullable(cursor));
  }

  /** The API's JSON as it answered, or {@code table} of the page with how to ask for the following one. */
  static int print(ApiClient.Answer answer, Output out, Function<JsonNode, Table> table) {
    return out.answer(answer, page -> {
      table.apply(page).print(out.out());
      if (page.hasNonNull("next")) {
        out.note("more: --cursor " + Text.clean(page.get("next").asText()));
      }
    });
  }
}
