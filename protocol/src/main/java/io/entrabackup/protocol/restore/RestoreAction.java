package io.entrabackup.protocol.restore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a restore brings an object back to one of its versions. In JSON, events and the read model it is the lower-case
 * name ({@code update}, {@code undelete}, {@code recreate}), as it was when it was a string.
 */
public enum RestoreAction {
  /** The object exists: its properties and relations are written back. */
  UPDATE,
  /** The object is in the recycle bin: restored from there, then updated. */
  UNDELETE,
  /** The object is gone for good: created anew (with a new id), then updated. */
  RECREATE;

  /** The name in JSON, events and the read model. */
  @JsonValue
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RestoreAction fromApiName(String name) {
    return Arrays.stream(values()).filter(action -> action.apiName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("restore action must be update, undelete or recreate"));
  }
}
