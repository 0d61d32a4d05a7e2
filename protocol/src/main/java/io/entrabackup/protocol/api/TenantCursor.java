package io.entrabackup.protocol.api;

import io.entrabackup.protocol.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A place in the tenant list: the sort key and tenant id of the last tenant shown. In id order (the default) it is
 * the bare tenant id, as the list's cursor always was; in any other order it is opaque text that also names the
 * order, so a cursor is never taken for a place in another order.
 */
public record TenantCursor(String key, String tenantId) {

  private static final int MAX_TEXT = 2048;

  public String text(TenantSort sort, boolean descending) {
    if (sort == TenantSort.ID && !descending) {
      return tenantId;
    }
    String plain = sort.apiName() + '|' + direction(descending) + '|' + tenantId + '|' + key;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent for this order; empty when it is not one this list gave out for it. */
  public static Optional<TenantCursor> parse(String text, TenantSort sort, boolean descending) {
    if (text.length() > MAX_TEXT) {
      return Optional.empty();
    }
    if (sort == TenantSort.ID && !descending) {
      return tenantId(text).map(id -> new TenantCursor(id, id));
    }
    String plain;
    try {
      plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String[] parts = plain.split("\\|", 4);
    if (parts.length != 4 || !parts[0].equals(sort.apiName()) || !parts[1].equals(direction(descending))) {
      return Optional.empty();
    }
    return tenantId(parts[2]).map(id -> new TenantCursor(parts[3], id));
  }

  private static Optional<String> tenantId(String text) {
    try {
      return Optional.of(TenantId.parse(text).value());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String direction(boolean descending) {
    return descending ? "desc" : "asc";
  }
}
