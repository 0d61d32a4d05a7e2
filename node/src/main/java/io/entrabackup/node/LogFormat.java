package io.entrabackup.node;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The log format logback.xml writes, from {@code ENTRA_LOG_FORMAT}: the name of one of its two appenders,
 * {@code text} or {@code json}. Anything else is {@code text} and a warning on Logback's status: an appender reference
 * to a name that does not exist would leave the node without any log line at all.
 */
public final class LogFormat extends PropertyDefinerBase {
  static final String TEXT = "text";
  static final String JSON = "json";

  private String format = TEXT;

  /** Set from logback.xml ({@code <format>${ENTRA_LOG_FORMAT:-text}</format>}). */
  public void setFormat(String format) {
    this.format = format == null ? TEXT : format.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public String getPropertyValue() {
    if (format.equals(JSON) || format.equals(TEXT)) {
      return format;
    }
    addWarn("ENTRA_LOG_FORMAT must be text or json; writing text");
    return TEXT;
  }
}
