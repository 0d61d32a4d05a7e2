package io.entrabackup.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --interval}: how often a command that follows a job asks the server about it ({@code @Mixin}). */
final class Polling {

  @Option(names = "--interval", defaultValue = "1s", converter = IntervalConverter.class,
      description = "While following a job: how often to ask the server (default 1s).")
  Duration interval;
}
