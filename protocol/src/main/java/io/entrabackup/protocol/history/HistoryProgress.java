package io.entrabackup.protocol.history;

/** How far a verification got: objects walked so far, and the type it is in. */
public record HistoryProgress(String type, long objects) implements HistoryFinding {

  @Override
  public String event() {
    return "progress";
  }
}
