package io.entrabackup.http.restore;

import io.entrabackup.protocol.restore.SkippedItem;
import java.util.List;

/**
 * Skipped items as CSV (RFC 4180): a header row, CRLF line ends, and every field quoted when it holds a comma, a
 * quote, CR or LF, with quotes doubled. No CSV library is among our dependencies and this is all the format needs.
 * Fields starting with = + - @ TAB or CR are prefixed with an apostrophe so a spreadsheet does not run them as
 * formulas (OWASP's advice on CSV injection: a spreadsheet skips a leading TAB or CR and reads the formula after it).
 */
public final class SkippedItemsCsv {

  private static final String CRLF = "\r\n";

  private SkippedItemsCsv() {}

  public static String of(List<SkippedItem> items) {
    StringBuilder csv = new StringBuilder("objectType,objectId,item,reason,graphCode,message").append(CRLF);
    for (SkippedItem item : items) {
      csv.append(String.join(",", field(item.objectType()), field(item.objectId()), field(item.item()),
          field(item.reason().code()), field(item.graphCode().orElse("")), field(item.message()))).append(CRLF);
    }
    return csv.toString();
  }

  static String field(String value) {
    String text = value == null ? "" : value;
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    boolean quote = text.contains(",") || text.contains("\"") || text.contains("\r") || text.contains("\n");
    return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
