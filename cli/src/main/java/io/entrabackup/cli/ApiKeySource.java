package io.entrabackup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the API key comes from: a file ({@code --api-key-file}) or the {@code ENTRA_API_KEY} environment variable,
 * never the command line, where every user of the machine can read it in the process list and the shell keeps it in
 * its history.
 */
final class ApiKeySource {

  static final String VARIABLE = "ENTRA_API_KEY";

  private ApiKeySource() {}

  /** The key, from the file when one is given, else from the environment. */
  static String key(Optional<Path> file, Map<String, String> environment) {
    if (file.isPresent()) {
      String text;
      try {
        text = Files.readString(file.get()).strip();
      } catch (IOException e) {
        throw new CliFailure(ExitCode.USAGE, "cannot read the API key file " + file.get() + ": " + e.getMessage());
      }
      if (text.isEmpty() || text.contains("\n")) {
        throw new CliFailure(ExitCode.USAGE, "the API key file " + file.get() + " must hold the key on one line");
      }
      return text;
    }
    String key = environment.getOrDefault(VARIABLE, "").strip();
    if (key.isEmpty()) {
      throw new CliFailure(ExitCode.USAGE,
          "no API key: set " + VARIABLE + " or pass --api-key-file <path> (never on the command line)");
    }
    return key;
  }
}
