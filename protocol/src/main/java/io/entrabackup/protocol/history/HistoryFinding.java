package io.entrabackup.protocol.history;

/**
 * What a verification of a tenant's history reports as it goes: each problem when found, its progress now and then,
 * and its figures last.
 */
public sealed interface HistoryFinding permits HistoryProblem, HistoryProgress, HistoryReport {

  /** The finding's name on a line of the API's report: problem, progress or report. */
  String event();
}
