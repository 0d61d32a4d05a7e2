package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** deploy/conf/logback-json.xml, the production log configuration, loads and writes one JSON object per line. */
class ProductionLoggingTest {

  @Test
  void productionLogLinesAreJsonWithTheMdc() throws Exception {
    LoggerContext context = new LoggerContext();
    // A context of our own (not the test run's), so it needs the MDC adapter SLF4J would otherwise give it.
    context.setMDCAdapter(MDC.getMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Path.of("..", "deploy", "conf", "logback-json.xml").toFile());
    assertFalse(context.getStatusManager().getCopyOfStatusList().stream().anyMatch(s -> s.getLevel() >= 2),
        () -> "logback reported errors: " + context.getStatusManager().getCopyOfStatusList());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var async = (ch.qos.logback.classic.AsyncAppender) root.getAppender("ASYNC");
    OutputStreamAppender<?> json = (ConsoleAppender<?>) async.getAppender("JSON");
    json.setOutputStream(out);

    MDC.put("tenantId", "t-1");
    try {
      context.getLogger("io.entrabackup.test").info("Tenant {}: backup {} started", "t-1", "job-7");
    } finally {
      MDC.remove("tenantId");
    }
    context.stop();

    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode line = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertEquals("INFO", line.path("level").asText());
    assertEquals("Tenant t-1: backup job-7 started", line.path("formattedMessage").asText());
    assertEquals("t-1", line.path("mdc").path("tenantId").asText());
  }
}
