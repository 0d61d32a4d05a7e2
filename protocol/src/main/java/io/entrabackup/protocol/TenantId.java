package io.entrabackup.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Our identifier of a tenant under backup (not Microsoft's Entra tenant id): a lower-case UUID,
 * also the sharding entity id and the persistence id suffix.
 */
public record TenantId(String value) {

  private static final Pattern UUID_FORMAT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public TenantId {
    if (value == null || !UUID_FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "tenant id must be a lower-case UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    }
  }

  /** Parses a client-supplied id, accepting upper-case hex digits as UUIDs allow. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TenantId parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("tenant id is missing");
    }
    return new TenantId(text.trim().toLowerCase(Locale.ROOT));
  }

  public static TenantId random() {
    return new TenantId(UUID.randomUUID().toString());
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
