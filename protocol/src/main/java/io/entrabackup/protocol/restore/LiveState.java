package io.entrabackup.protocol.restore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How an object to restore stands in the directory now; the lower-case name is its JSON. */
public enum LiveState {
  /** It exists: a restore updates it. */
  LIVE("live"),
  /** In the recycle bin: a restore brings it back, then updates it. */
  SOFT_DELETED("soft_deleted"),
  /** Deleted for good (or never there): a restore creates it anew, under a new id. */
  GONE("gone");

  private final String apiName;

  LiveState(String apiName) {
    this.apiName = apiName;
  }

  @JsonValue
  public String apiName() {
    return apiName;
  }

  public static Optional<LiveState> fromApiName(String name) {
    return Arrays.stream(values()).filter(state -> state.apiName.equals(name)).findFirst();
  }

  @JsonCreator
  static LiveState parse(String name) {
    return fromApiName(name).orElseThrow(() -> new IllegalArgumentException("unknown live state " + name));
  }
}
