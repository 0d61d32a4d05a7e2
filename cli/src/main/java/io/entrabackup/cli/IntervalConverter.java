package io.entrabackup.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A polling interval: {@code 2s}, {@code 500ms} or an ISO-8601 duration ({@code PT2S}); 100 ms to 1 minute. */
final class IntervalConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String text) {
    Duration interval;
    try {
      if (text.endsWith("ms")) {
        interval = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      } else if (text.endsWith("s") && !text.startsWith("P")) {
        interval = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      } else {
        interval = Duration.parse(text);
      }
    } catch (RuntimeException e) {
      throw new TypeConversionException("'" + text + "' is not an interval such as 2s, 500ms or PT2S");
    }
    if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new TypeConversionException("an interval is between 100ms and 60s");
    }
    return interval;
  }
}
