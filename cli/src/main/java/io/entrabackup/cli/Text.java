package io.entrabackup.cli;

/**
 * Text from the server made safe for a terminal: names, details and reasons come from other people (a tenant's
 * display name, Graph's messages) and could carry escape sequences that rewrite the operator's screen.
 */
final class Text {

  private Text() {}

  /** {@code text} with every control character (escape, CR, LF, ...) shown as a space. */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder clean = new StringBuilder(text.length());
    text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
        || Character.getType(c) == Character.FORMAT ? ' ' : c));
    return clean.toString();
  }

  /** {@link #clean} cut to {@code max} characters, an ellipsis marking the cut. */
  static String cell(String text, int max) {
    String clean = clean(text);
    return clean.length() <= max ? clean : clean.substring(0, Math.max(0, max - 1)) + "…";
  }
}
