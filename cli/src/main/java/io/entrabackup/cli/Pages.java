package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Paging as the API does it ({@code items}, {@code next}), told to a person under a table. */
final class Pages {

  private Pages() {}

  /** On {@code err}: how to ask for the following page, when there is one. */
  static void printNext(JsonNode page, Output out) {
    if (page.hasNonNull("next")) {
      out.note("more: --cursor " + Text.clean(page.get("next").asText()));
    }
  }
}
