package io.entrabackup.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Looks for values in what is stored: every column of every row of every table of a keyspace, and files' bytes. Each
 * stored value is read as text (UTF-8 and Latin-1), and also decoded the ways our tables hold data: base64 text, raw
 * deflate and zlib (snapshot states), gzip, and the deflated entries of a ZIP (download chunks); a match ignores case
 * (name indexes store lower-cased prefixes).
 */
final class StoredBytesScan {

  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{16,}={0,2}");
  private static final int MAX_INFLATED = 64 * 1024 * 1024;

  private final List<String> needles;
  /** Where each value was found: "table.column" (or file) to the values found there. */
  private final Map<String, List<String>> found = new TreeMap<>();
  private final Map<String, Long> rowsByTable = new TreeMap<>();
  private int columns;
  private long cells;
  private long files;
  private long fileBytes;

  StoredBytesScan(Collection<String> values) {
    this.needles = values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
  }

  /** Scans every table of {@code keyspace}, every column of every row. */
  StoredBytesScan keyspace(CqlSession session, String keyspace) {
    List<String> tables = new ArrayList<>();
    session.execute(SimpleStatement.newInstance(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace))
        .forEach(row -> tables.add(row.getString("table_name")));
    for (String table : tables) {
      long rows = 0;
      boolean counted = false;
      for (Row row : session.execute(SimpleStatement.newInstance("SELECT * FROM " + keyspace + "." + table)
          .setPageSize(500))) {
        if (!counted) {
          columns += row.getColumnDefinitions().size();
          counted = true;
        }
        rows++;
        for (ColumnDefinition column : row.getColumnDefinitions()) {
          cells++;
          check(table + "." + column.getName().asInternal(), row.getObject(column.getName()));
        }
      }
      rowsByTable.put(table, rows);
    }
    return this;
  }

  /** Scans a file's bytes, named {@code where}. */
  StoredBytesScan file(String where, byte[] bytes) {
    files++;
    fileBytes += bytes.length;
    checkBytes(where, bytes, 0);
    return this;
  }

  Map<String, List<String>> found() {
    return found;
  }

  Map<String, Long> rowsByTable() {
    return rowsByTable;
  }

  String summary() {
    return rowsByTable.size() + " tables (" + columns + " columns, " + rowsByTable.values().stream()
        .mapToLong(Long::longValue).sum() + " rows, " + cells + " cells), " + files + " files (" + fileBytes
        + " bytes), " + needles.size() + " values";
  }

  private void check(String where, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      checkBytes(where, bytes, 0);
    } else if (value instanceof Collection<?> collection) {
      collection.forEach(item -> check(where, item));
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> {
        check(where, key);
        check(where, item);
      });
    } else {
      checkText(where, value.toString(), 0);
    }
  }

  private void checkText(String where, String text, int depth) {
    match(where, text);
    if (depth > 2) {
      return;
    }
    var base64 = BASE64.matcher(text);
    while (base64.find()) {
      byte[] decoded = decodeBase64(base64.group());
      if (decoded != null) {
        checkBytes(where + " (base64)", decoded, depth + 1);
      }
    }
  }

  private void checkBytes(String where, byte[] bytes, int depth) {
    match(where, new String(bytes, StandardCharsets.UTF_8));
    match(where, new String(bytes, StandardCharsets.ISO_8859_1));
    if (depth > 2) {
      return;
    }
    inflate(bytes, 0, true).ifPresent(plain -> checkBytes(where + " (deflate)", plain, depth + 1));
    inflate(bytes, 0, false).ifPresent(plain -> checkBytes(where + " (zlib)", plain, depth + 1));
    gunzip(bytes).ifPresent(plain -> checkBytes(where + " (gzip)", plain, depth + 1));
    for (int at = indexOf(bytes, 0); at >= 0; at = indexOf(bytes, at + 4)) {
      if (at + 30 <= bytes.length) {
        int nameLength = (bytes[at + 26] & 0xff) | (bytes[at + 27] & 0xff) << 8;
        int extraLength = (bytes[at + 28] & 0xff) | (bytes[at + 29] & 0xff) << 8;
        int data = at + 30 + nameLength + extraLength;
        if (data < bytes.length) {
          inflate(bytes, data, true).ifPresent(plain -> checkBytes(where + " (zip entry)", plain, depth + 1));
        }
      }
    }
    if (depth == 0) {
      checkText(where, new String(bytes, StandardCharsets.ISO_8859_1), depth + 1);
    }
  }

  private void match(String where, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String needle : needles) {
      if (lower.contains(needle)) {
        List<String> at = found.computeIfAbsent(where, k -> new ArrayList<>());
        if (!at.contains(needle)) {
          at.add(needle);
        }
      }
    }
  }

  /** Whatever inflates from {@code offset} on (a partial stream too: a chunk may end inside an entry). */
  private static java.util.Optional<byte[]> inflate(byte[] bytes, int offset, boolean raw) {
    Inflater inflater = new Inflater(raw);
    try {
      inflater.setInput(bytes, offset, bytes.length - offset);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (!inflater.finished() && out.size() < MAX_INFLATED) {
        int n = inflater.inflate(buffer);
        if (n == 0) {
          break;
        }
        out.write(buffer, 0, n);
      }
      return out.size() == 0 ? java.util.Optional.empty() : java.util.Optional.of(out.toByteArray());
    } catch (java.util.zip.DataFormatException e) {
      return java.util.Optional.empty();
    } finally {
      inflater.end();
    }
  }

  private static java.util.Optional<byte[]> gunzip(byte[] bytes) {
    if (bytes.length < 2 || bytes[0] != (byte) 0x1f || bytes[1] != (byte) 0x8b) {
      return java.util.Optional.empty();
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return java.util.Optional.of(in.readAllBytes());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  private static byte[] decodeBase64(String text) {
    try {
      return Base64.getDecoder().decode(text.replace('-', '+').replace('_', '/').replace("=", ""));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The next ZIP local file header ("PK\3\4") at or after {@code from}. */
  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i + 3 < bytes.length; i++) {
      if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 3 && bytes[i + 3] == 4) {
        return i;
      }
    }
    return -1;
  }
}
