package io.entrabackup.protocol.audit;

import java.util.Optional;

/**
 * The result of verifying one account's audit trail.
 *
 * @param records how many records were checked
 * @param firstBreak the first place where the chain does not hold, if any
 */
public record ChainCheck(String account, long records, Optional<Break> firstBreak) {

  public boolean intact() {
    return firstBreak.isEmpty();
  }

  /** Where the chain breaks and how: {@code sequence} is the first record that does not fit. */
  public record Break(long sequence, String problem) {}
}
