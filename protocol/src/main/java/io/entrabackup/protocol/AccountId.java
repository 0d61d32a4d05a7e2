package io.entrabackup.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** The MSP account that owns tenants and jobs: lower-case letters, digits and dashes, 1-63 characters. */
public record AccountId(String value) {

  private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public AccountId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "account id must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static AccountId of(String value) {
    return new AccountId(value);
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
