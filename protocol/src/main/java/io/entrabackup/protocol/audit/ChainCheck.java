package io.entrabackup.protocol.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * The result of verifying one account's audit trail.
 *
 * @param records how many records were checked
 * @param firstBreak the first place where the chain does not hold, if any
 */
// intact is written for clients (the API promises it) and derived again when read, never taken from the input.
@JsonIgnoreProperties(value = "intact", allowGetters = true)
public record ChainCheck(String account, long records, Optional<Break> firstBreak) {

  @JsonProperty("intact")
  public boolean intact() {
    return firstBreak.isEmpty();
  }

  /** Where the chain breaks and how: {@code sequence} is the first record that does not fit. */
  public record Break(long sequence, String problem) {}
}
