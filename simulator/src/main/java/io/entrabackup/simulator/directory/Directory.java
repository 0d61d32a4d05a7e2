package io.entrabackup.simulator.directory;

import io.entrabackup.simulator.SimClock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** All tenants the simulator hosts. Tenant n of seed s is always the same tenant (same ids, same objects). */
public final class Directory {
  private static final List<String> NAMES = List.of("Contoso", "Fabrikam", "Northwind Traders", "Adatum",
      "Tailspin Toys", "Woodgrove Bank", "Litware", "Proseware", "Wingtip Toys", "Alpine Ski House");

  private final long seed;
  private final SimClock clock;
  private final List<Tenant> tenants = new CopyOnWriteArrayList<>();
  /**
   * Every tenant by its id and by its domain, lower case: a simulator hosting thousands of small tenants (the
   * benchmark's 10,000) finds the tenant of every request without walking them all.
   */
  private final Map<String, Tenant> byIdOrDomain = new ConcurrentHashMap<>();
  private Consumer<Tenant> onTenantAdded = tenant -> { };

  public Directory(long seed, SimClock clock) {
    this.seed = seed;
    this.clock = clock;
  }

  /** Generates the next tenant with the given sizes. */
  public synchronized Tenant createTenant(int users, int groups) {
    int n = tenants.size();
    long salt = Mix.hash(seed, n, 0x7E7A);
    UUID id = new UUID((Mix.mix64(salt) & ~0xf000L) | 0x4000L, (Mix.mix64(salt + 1) & 0x3fffffffffffffffL) | 0x8000000000000000L);
    String base = NAMES.get(n % NAMES.size());
    String suffix = n < NAMES.size() ? "" : String.valueOf(n / NAMES.size() + 1);
    String displayName = base + (suffix.isEmpty() ? "" : " " + suffix);
    String domain = base.replace(" ", "").toLowerCase() + suffix + ".onmicrosoft.com";
    Tenant t = new Tenant(n, id, domain, displayName, salt, users, groups, clock);
    tenants.add(t);
    byIdOrDomain.put(id.toString().toLowerCase(Locale.ROOT), t);
    byIdOrDomain.putIfAbsent(domain.toLowerCase(Locale.ROOT), t);
    onTenantAdded.accept(t);
    return t;
  }

  /** Tells the consumer of every tenant generated from now on (a kept simulator state journals them). */
  public synchronized void reportTenantsTo(Consumer<Tenant> consumer) {
    this.onTenantAdded = java.util.Objects.requireNonNull(consumer);
  }

  public List<Tenant> tenants() {
    return List.copyOf(tenants);
  }

  /** Finds a tenant by id or by domain name; null when unknown. */
  public Tenant find(String idOrDomain) {
    return idOrDomain == null ? null : byIdOrDomain.get(idOrDomain.toLowerCase(Locale.ROOT));
  }
}
