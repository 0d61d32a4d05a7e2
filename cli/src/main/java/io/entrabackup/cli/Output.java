package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Where a command writes: results on {@code out} (a table, or with {@code --json} the API's JSON unchanged), notes
 * for people and errors on {@code err}, so a script that reads {@code out} gets only what it asked for.
 *
 * @param terminal whether {@code err} is a terminal a progress bar may redraw in place
 */
record Output(PrintWriter out, PrintWriter err, boolean json, boolean terminal) {

  /** The API's answer exactly as it came. */
  void json(ApiClient.Answer answer) {
    out.println(answer.body());
    out.flush();
  }

  /** The API's answer: as it came with {@code --json}, otherwise as {@code forPeople} tells it. */
  int answer(ApiClient.Answer answer, Consumer<JsonNode> forPeople) {
    if (json) {
      json(answer);
    } else {
      forPeople.accept(answer.json());
    }
    return ExitCode.OK;
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  void note(String text) {
    err.println(text);
    err.flush();
  }
}
