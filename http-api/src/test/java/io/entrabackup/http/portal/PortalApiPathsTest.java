package io.entrabackup.http.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The portal builds API paths from data (tenant ids, types, object and job ids): every such path goes through
 * api.js's {@code apiPath} tag, which encodes each value as one segment. A plain template literal with a value in it,
 * handed to get/post/api/fetch, could put an unencoded '/', '?' or '#' into the path and reach another route.
 */
class PortalApiPathsTest {

  private static final Path ASSETS = Path.of("src/main/resources/portal/assets");

  /** get(`...${x}...`), post(, api(, fetch( with an untagged template literal holding a value. */
  private static final Pattern UNTAGGED =
      Pattern.compile("\\b(get|post|api|fetch)\\(\\s*(?:'[^']*'\\s*\\+\\s*)?`[^`]*\\$\\{");

  @Test
  void everyApiPathWithAValueInItIsBuiltByApiPath() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(ASSETS)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".js")).sorted().toList()) {
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
          Matcher untagged = UNTAGGED.matcher(lines[i]);
          // api.js's own fetch(`/api/v1${path}`) prefixes a path that was already built.
          if (untagged.find() && !lines[i].contains("fetch(`/api/v1${path}`")) {
            found.add(file.getFileName() + ":" + (i + 1) + ": " + lines[i].strip());
          }
        }
      }
    }
    assertEquals(List.of(), found, "API paths built without apiPath");
  }

  @Test
  void apiJsHasTheOneEncodingHelper() throws IOException {
    String api = Files.readString(ASSETS.resolve("api.js"), StandardCharsets.UTF_8);
    assertTrue(api.contains("export function apiPath(") && api.contains("encodeURIComponent("), api);
  }
}
