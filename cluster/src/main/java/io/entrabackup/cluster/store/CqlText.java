package io.entrabackup.cluster.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CQL files as the schema code reads them: whole-line {@code --} comments dropped (they may hold semicolons), then split
 * into statements at {@code ;}. {@code @include path} lines of a migration are replaced by the statements of that
 * classpath resource, so the baseline can be the files our tables were always defined in.
 */
final class CqlText {

  private static final Pattern INCLUDE = Pattern.compile("^\\s*@include\\s+(\\S+?)\\s*;?\\s*$");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final Pattern SPACE_BY_PUNCTUATION = Pattern.compile(" ?([(),<>=]) ?");

  private CqlText() {}

  /** The statements of {@code text}, in order, with {@code @include}s resolved against the class path. */
  static List<String> statements(String text) {
    StringBuilder expanded = new StringBuilder();
    for (String line : text.lines().toList()) {
      Matcher include = INCLUDE.matcher(line);
      if (include.matches()) {
        // Each included file ends its own last statement; a ';' keeps it apart from the next file's first.
        expanded.append(withoutComments(resource(include.group(1)))).append("\n;\n");
      } else if (!line.strip().startsWith("--")) {
        expanded.append(line).append('\n');
      }
    }
    return Arrays.stream(expanded.toString().split(";"))
        .map(String::strip)
        .filter(statement -> !statement.isBlank())
        .toList();
  }

  /**
   * The statement as the checksum sees it: whitespace runs as one space and none beside brackets, commas and
   * {@code =}, so re-indenting or re-wrapping changes nothing.
   */
  static String normalized(String statement) {
    String spaced = SPACE.matcher(statement.strip()).replaceAll(" ");
    return SPACE_BY_PUNCTUATION.matcher(spaced).replaceAll("$1");
  }

  static String withoutComments(String text) {
    StringBuilder kept = new StringBuilder();
    text.lines().filter(line -> !line.strip().startsWith("--")).forEach(line -> kept.append(line).append('\n'));
    return kept.toString();
  }

  /** A UTF-8 resource of this module's class path. */
  static String resource(String path) {
    try (InputStream in = CqlText.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
