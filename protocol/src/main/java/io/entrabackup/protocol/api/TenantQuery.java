package io.entrabackup.protocol.api;

import io.entrabackup.protocol.tenant.TenantView;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the operator asked of the tenant list: {@code GET /tenants?search=&status=&sort=&order=&cursor=&limit=}.
 *
 * @param search lower-case text a tenant must contain (a case-insensitive substring) in its display name, organization
 *     name, Entra domain (given or verified), Entra tenant id or our tenant id
 * @param status the group the list is narrowed to
 * @param after where the previous page ended
 */
public record TenantQuery(
    Optional<String> search,
    Optional<TenantStatusFilter> status,
    TenantSort sort,
    boolean descending,
    Optional<TenantCursor> after,
    int limit) {

  /** The longest search text taken: a name is at most 256 characters. */
  public static final int MAX_SEARCH = 256;

  public TenantQuery {
    search = search.map(text -> text.strip().toLowerCase(Locale.ROOT)).filter(text -> !text.isEmpty());
  }

  /** The list as it always was: every tenant in id order. */
  public static TenantQuery byId(Optional<TenantCursor> after, int limit) {
    return new TenantQuery(Optional.empty(), Optional.empty(), TenantSort.ID, false, after, limit);
  }

  public boolean matches(TenantView tenant) {
    return status.map(filter -> filter.matches(tenant)).orElse(true)
        && search.map(text -> searchedText(tenant).anyMatch(field -> field.contains(text))).orElse(true);
  }

  private static Stream<String> searchedText(TenantView tenant) {
    return Stream.of(
            Stream.of(tenant.displayName(), tenant.id().value()),
            tenant.organizationName().stream(),
            tenant.entraTenant().stream(),
            tenant.entraTenantId().stream(),
            tenant.verifiedDomains().stream())
        .flatMap(fields -> fields)
        .map(text -> text.toLowerCase(Locale.ROOT));
  }

  /** The list's total order: the sort's key, then the tenant id; reversed as a whole when descending. */
  public Comparator<TenantCursor> order() {
    Comparator<TenantCursor> ascending =
        Comparator.comparing(TenantCursor::key).thenComparing(TenantCursor::tenantId);
    return descending ? ascending.reversed() : ascending;
  }

  public TenantCursor placeOf(TenantView tenant) {
    return new TenantCursor(sort.key(tenant), tenant.id().value());
  }
}
