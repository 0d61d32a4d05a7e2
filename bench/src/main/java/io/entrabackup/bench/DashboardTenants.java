package io.entrabackup.bench;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenants of the dashboard benchmark's account, as the events that made their rows: a mix like an MSP's (most
 * authorized and backed up; some pending, refused, lost, failed or running), with names, domains and backup times
 * that vary, so that search, filter and every sort have real work. Deterministic: tenant {@code n} is always the same.
 */
final class DashboardTenants {

  private static final List<String> NAMES = List.of("Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove",
      "Litware", "Adatum", "Proseware", "Wingtip", "Alpine Ski");
  private static final List<String> KINDS = List.of("Ltd", "GmbH", "Inc", "Partners", "Health", "Legal", "Retail",
      "Logistics");

  /** What the tenant's events leave it as; by {@code n % 100}, so each share is exact over whole hundreds. */
  enum Kind {
    PENDING, REFUSED, LOST, FAILED, RUNNING, NEVER_BACKED_UP, BACKED_UP;

    static Kind of(int n) {
      int slot = n % 100;
      if (slot < 3) {
        return PENDING;
      } else if (slot < 5) {
        return REFUSED;
      } else if (slot < 8) {
        return LOST;
      } else if (slot < 12) {
        return FAILED;
      } else if (slot < 13) {
        return RUNNING;
      } else if (slot < 14) {
        return NEVER_BACKED_UP;
      }
      return BACKED_UP;
    }

    /** Lost or refused consent, or a last backup that failed: the dashboard's "needs attention". */
    boolean needsAttention() {
      return this == REFUSED || this == LOST || this == FAILED;
    }
  }

  private DashboardTenants() {}

  /** Tenant {@code n}'s display name, e.g. "Fabrikam Legal 0421". */
  static String displayName(int n) {
    return NAMES.get(n % NAMES.size()) + " " + KINDS.get((n / NAMES.size()) % KINDS.size())
        + String.format(Locale.ROOT, " %04d", n);
  }

  /** Tenant {@code n}'s Entra domain, e.g. "fabrikam0421.onmicrosoft.com". */
  static String domain(int n) {
    return NAMES.get(n % NAMES.size()).toLowerCase(Locale.ROOT).replace(" ", "")
        + String.format(Locale.ROOT, "%04d", n) + ".onmicrosoft.com";
  }

  /** The events of tenant {@code n}, in order, all before {@code now}. */
  static List<Event> events(AccountId account, int n, Instant now) {
    TenantId tenant = new TenantId(new UUID(0x0b3c4d5e6f7a8b9cL, n).toString());
    Kind kind = Kind.of(n);
    // Registered over the last year; a tenant's times spread by n so every sort sees distinct values.
    Instant registered = now.minus(Duration.ofMinutes(30L + (n * 7919L) % 525_600L));
    List<Event> events = new ArrayList<>();
    events.add(new TenantRegistered(tenant, account, displayName(n), Optional.of(domain(n)), registered));
    if (kind == Kind.PENDING) {
      return events;
    }
    Instant consent = registered.plusSeconds(60);
    if (kind == Kind.REFUSED) {
      events.add(new AuthorizationRefused(tenant, account, "access_denied", "The admin declined the consent.",
          consent));
      return events;
    }
    events.add(new TenantAuthorized(tenant, account, new UUID(0x7e4a1d2c3b4a5968L, n).toString(),
        displayName(n), List.of(domain(n), domain(n).replace(".onmicrosoft.com", ".com")), Duration.ofDays(1),
        false, consent, consent.plus(Duration.ofDays(1))));
    if (kind == Kind.NEVER_BACKED_UP) {
      return events;
    }
    // The last backup within the last day, spread by n.
    Instant finished = now.minusSeconds(60L + (n * 104_729L) % 86_400L);
    Instant started = finished.minusSeconds(30L + n % 600);
    String run = new UUID(0x1a2b3c4d5e6f7081L, n).toString();
    events.add(new BackupStarted(tenant, account, run, BackupTrigger.SCHEDULED, List.of(ObjectType.values()),
        started));
    if (kind == Kind.FAILED) {
      events.add(new BackupFailed(tenant, account, run, "Graph answered 503 three times", finished,
          Optional.of(finished.plus(Duration.ofHours(1)))));
      return events;
    }
    long users = 20L + (n * 31L) % 4_000L;
    events.add(new BackupCompleted(tenant, account, run, new TypeCounts(users, 0, 0, 0, users), GraphTraffic.NONE,
        Map.of("users", users, "groups", users / 10), finished, finished.plus(Duration.ofDays(1))));
    if (kind == Kind.LOST) {
      events.add(new AuthorizationLost(tenant, account, "The admin revoked the consent.", finished.plusSeconds(30)));
    } else if (kind == Kind.RUNNING) {
      events.add(new BackupStarted(tenant, account, new UUID(0x2b3c4d5e6f708192L, n).toString(),
          BackupTrigger.SCHEDULED, List.of(ObjectType.values()), now.minusSeconds(20)));
    }
    return events;
  }
}
