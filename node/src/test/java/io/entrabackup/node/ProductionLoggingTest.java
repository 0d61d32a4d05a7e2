package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The node's logback.xml writes text by default and one JSON object per line when {@code ENTRA_LOG_FORMAT=json} (the
 * production setting); the variable is given here as a context property, which Logback reads before the environment.
 */
class ProductionLoggingTest {

  private static final Path CONFIGURATION = Path.of("src", "main", "resources", "logback.xml");

  @Test
  void jsonLinesCarryTheMdc() throws Exception {
    LoggerContext context = configured("json");
    ByteArrayOutputStream out = capture(context, "json");

    MDC.put("tenantId", "t-1");
    MDC.put("jobKind", "backup");
    try {
      context.getLogger("io.entrabackup.test").info("Tenant {}: backup {} started", "t-1", "job-7");
    } finally {
      MDC.remove("tenantId");
      MDC.remove("jobKind");
    }
    context.stop();

    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode line = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertEquals("INFO", line.path("level").asText());
    assertEquals("Tenant t-1: backup job-7 started", line.path("formattedMessage").asText());
    assertEquals("t-1", line.path("mdc").path("tenantId").asText());
    assertEquals("backup", line.path("mdc").path("jobKind").asText());
  }

  @Test
  void textIsTheDefaultAndWhatAnUnknownFormatGets() throws Exception {
    for (String format : new String[] {null, "text", "xml"}) {
      LoggerContext context = configured(format);
      AsyncAppender async = (AsyncAppender) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
      assertNotNull(async.getAppender("text"), "format " + format + " writes text");
      assertNull(async.getAppender("json"), "format " + format + " writes no JSON");
      ByteArrayOutputStream out = capture(context, "text");
      context.getLogger("io.entrabackup.test").info("plain line");
      context.stop();
      String written = out.toString(StandardCharsets.UTF_8);
      assertTrue(written.contains(" - plain line") && !written.startsWith("{"), written);
    }
  }

  private static LoggerContext configured(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    // A context of our own (not the test run's), so it needs the MDC adapter SLF4J would otherwise give it.
    context.setMDCAdapter(MDC.getMDCAdapter());
    if (format != null) {
      context.putProperty("ENTRA_LOG_FORMAT", format);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(CONFIGURATION.toFile());
    assertFalse(context.getStatusManager().getCopyOfStatusList().stream().anyMatch(s -> s.getLevel() >= 2),
        () -> "logback reported errors: " + context.getStatusManager().getCopyOfStatusList());
    return context;
  }

  private static ByteArrayOutputStream capture(LoggerContext context, String appender) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncAppender async = (AsyncAppender) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
    ((OutputStreamAppender<?>) async.getAppender(appender)).setOutputStream(out);
    return out;
  }
}
