package io.entrabackup.node.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The node's log while the fuzz runs, as its Logback root logger gets it in this JVM: every line at ERROR and every
 * line carrying a stack trace (at any level) is kept, unless {@link #ALLOWED} names it with a reason. The simulator,
 * Microsoft's side of the run in the same JVM, is left out.
 */
public final class NodeLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  /** A line a hostile request may cause without anything being wrong, and why. */
  record Allowed(String logger, String messagePart, String reason) {

    boolean covers(ILoggingEvent event) {
      return event.getLoggerName().startsWith(logger) && event.getFormattedMessage().contains(messagePart);
    }
  }

  /** None so far: a run that logs an ERROR or a stack trace has found something to fix, or to name here. */
  private static final List<Allowed> ALLOWED = List.of();

  private final List<String> unexpected = new ArrayList<>();
  private int lines;
  private int warnings;
  private int allowed;

  private NodeLog() {}

  /** Starts keeping the root logger's lines, until {@link #close}. */
  public static NodeLog attach() {
    NodeLog log = new NodeLog();
    log.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    log.start();
    root().addAppender(log);
    return log;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLoggerName().startsWith("io.entrabackup.simulator")) {
      return;
    }
    boolean error = event.getLevel().isGreaterOrEqual(Level.ERROR);
    boolean trace = event.getThrowableProxy() != null || event.getFormattedMessage().contains("\tat ");
    synchronized (unexpected) {
      lines++;
      if (event.getLevel() == Level.WARN) {
        warnings++;
      }
      if (error || trace) {
        if (ALLOWED.stream().anyMatch(allowance -> allowance.covers(event))) {
          allowed++;
        } else {
          unexpected.add(describe(event));
        }
      }
    }
  }

  private static String describe(ILoggingEvent event) {
    String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage();
    if (event.getThrowableProxy() == null) {
      return line;
    }
    String trace = ThrowableProxyUtil.asString(event.getThrowableProxy());
    return line + "\n" + trace.substring(0, Math.min(trace.length(), 2_000));
  }

  /** The ERROR lines and stack traces no allowance names, as logged. */
  public List<String> unexpected() {
    synchronized (unexpected) {
      return List.copyOf(unexpected);
    }
  }

  public String summary() {
    synchronized (unexpected) {
      return String.format("node log during the run: %d lines, %d WARN, %d ERROR or stack trace (%d allowed)", lines,
          warnings, unexpected.size() + allowed, allowed);
    }
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
