package io.entrabackup.protocol.api;

import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A tenant list query answered over all of an account's tenants at once: search, filter, sort, one page after the
 * cursor, and the summary and shared directories counted from the very same tenants, so the page and its figures
 * always agree.
 */
public final class TenantListing {

  private TenantListing() {}

  /**
   * @param tenants every tenant of the account, in any order
   * @param backingUp ids of the tenants whose backup is queued or running
   */
  public static TenantPage answer(List<TenantView> tenants, Set<String> backingUp, TenantQuery query) {
    // Each tenant's place is computed once, not at every comparison of the sort.
    Comparator<TenantCursor> order = query.order();
    List<Placed> matching = tenants.stream()
        .filter(query::matches)
        .map(tenant -> new Placed(tenant, query.placeOf(tenant)))
        .sorted(Comparator.comparing(Placed::place, order))
        .toList();
    int from = query.after().map(cursor -> firstAfter(matching, cursor, order)).orElse(0);
    int to = Math.min(matching.size(), from + query.limit());
    List<TenantView> page = matching.subList(from, to).stream().map(Placed::tenant).toList();
    String next = to < matching.size() ? matching.get(to - 1).place().text(query.sort(), query.descending()) : null;
    return new TenantPage(page, next, summary(tenants, matching.size(), backingUp),
        sameDirectory(tenants, page), page.stream().map(t -> t.id().value()).filter(backingUp::contains).toList());
  }

  private record Placed(TenantView tenant, TenantCursor place) {}

  /** The index of the first tenant after the cursor's place (binary search: the list is sorted by place). */
  private static int firstAfter(List<Placed> sorted, TenantCursor cursor, Comparator<TenantCursor> order) {
    int low = 0;
    int high = sorted.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (order.compare(sorted.get(middle).place(), cursor) > 0) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  private static TenantSummary summary(List<TenantView> tenants, long matching, Set<String> backingUp) {
    long needAttention = tenants.stream().filter(TenantStatusFilter::needsAttention).count();
    long running = tenants.stream().filter(t -> backingUp.contains(t.id().value())).count();
    long authorized = tenants.stream().filter(t -> t.status() == TenantStatus.AUTHORIZED).count();
    long pending = tenants.stream().filter(t -> t.status() == TenantStatus.PENDING_AUTHORIZATION).count();
    return new TenantSummary(tenants.size(), matching, needAttention, running, authorized, pending);
  }

  /**
   * For each tenant of the page, the other tenants naming the same directory: the same Entra tenant id or a domain in
   * common (given at registration or verified by Microsoft; a domain is verified in one directory only).
   */
  private static Map<String, List<String>> sameDirectory(List<TenantView> tenants, List<TenantView> page) {
    Map<String, List<TenantView>> byDirectory = new HashMap<>();
    for (TenantView tenant : tenants) {
      directoryNames(tenant).forEach(name -> byDirectory.computeIfAbsent(name, n -> new ArrayList<>()).add(tenant));
    }
    Map<String, List<String>> shared = new HashMap<>();
    for (TenantView tenant : page) {
      Set<String> others = new LinkedHashSet<>();
      directoryNames(tenant).forEach(name -> byDirectory.get(name).stream()
          .filter(other -> !other.id().equals(tenant.id()))
          .forEach(other -> others.add(other.displayName())));
      if (!others.isEmpty()) {
        shared.put(tenant.id().value(), List.copyOf(others));
      }
    }
    return shared;
  }

  /** The names a tenant's directory goes by, lower case: its Entra tenant id and domains. */
  public static Set<String> directoryNames(TenantView tenant) {
    Set<String> names = new LinkedHashSet<>();
    Stream.of(tenant.entraTenant().stream(), tenant.entraTenantId().stream(), tenant.verifiedDomains().stream())
        .flatMap(s -> s)
        .map(name -> name.strip().toLowerCase(Locale.ROOT))
        .filter(name -> !name.isEmpty())
        .forEach(names::add);
    return names;
  }

  /** The tenant of the account that already names this directory, if any. */
  public static Optional<TenantView> namingDirectory(List<TenantView> tenants, String entraTenant) {
    String name = entraTenant.strip().toLowerCase(Locale.ROOT);
    return tenants.stream().filter(t -> directoryNames(t).contains(name)).findFirst();
  }
}
