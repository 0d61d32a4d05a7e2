package io.entrabackup.protocol.download;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How much of a tenant a download holds: every backed-up type, one type, or one object. */
public enum DownloadScope {
  TENANT("tenant"),
  TYPE("type"),
  OBJECT("object");

  private final String apiName;

  DownloadScope(String apiName) {
    this.apiName = apiName;
  }

  @JsonValue
  public String apiName() {
    return apiName;
  }

  public static Optional<DownloadScope> fromApiName(String name) {
    return Arrays.stream(values()).filter(scope -> scope.apiName.equals(name)).findFirst();
  }

  @JsonCreator
  static DownloadScope parse(String name) {
    return fromApiName(name).orElseThrow(() -> new IllegalArgumentException("scope must be tenant, type or object"));
  }
}
