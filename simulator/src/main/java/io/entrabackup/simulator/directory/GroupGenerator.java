package io.entrabackup.simulator.directory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes generated groups: their kind, properties and base membership, from (tenant salt, index). Group 0 is
 * "All Users", a security group holding every generated user, so any tenant of 100,000+ users has a group of that size.
 */
final class GroupGenerator {
  private static final long EPOCH_2019 = Instant.parse("2019-01-01T00:00:00Z").getEpochSecond();

  private final long salt;
  private final String domain;
  private final int userCount;
  private final ObjectIds ids;

  GroupGenerator(long salt, String domain, int userCount, ObjectIds ids) {
    this.salt = salt;
    this.domain = domain;
    this.userCount = Math.max(1, userCount);
    this.ids = ids;
  }

  GroupKind kind(int index) {
    if (index == 0) {
      return GroupKind.SECURITY;
    }
    int r = Mix.pick(salt, index, 101, 100);
    if (r < 30) {
      return GroupKind.SECURITY;
    } else if (r < 55) {
      return GroupKind.UNIFIED;
    } else if (r < 65) {
      return GroupKind.DYNAMIC_SECURITY;
    } else if (r < 75) {
      return GroupKind.MAIL_ENABLED_SECURITY;
    } else if (r < 85) {
      return GroupKind.DISTRIBUTION;
    }
    return GroupKind.SYNCED_SECURITY;
  }

  Membership members(int index, int groupCount) {
    if (index == 0) {
      return new Membership(userCount, 0, userCount, new int[0], new int[0]);
    }
    int start = Mix.pick(salt, index, 102, userCount);
    int size = index % 50 == 1 ? Math.min(userCount, 1000 + Mix.pick(salt, index, 103, 2000))
        : Math.min(userCount, 2 + Mix.pick(salt, index, 104, 40));
    GroupKind kind = kind(index);
    int[] nested = new int[0];
    boolean canNest = kind == GroupKind.SECURITY || kind == GroupKind.SYNCED_SECURITY;
    if (canNest && index >= 2 && Mix.pick(salt, index, 105, 3) == 0) {
      int child = index / 2;
      if (child != 0 && child < groupCount) {
        nested = new int[] {child};
      }
    }
    return new Membership(userCount, start, size, new int[0], nested);
  }

  Membership owners(int index) {
    GroupKind kind = kind(index);
    if (kind == GroupKind.SYNCED_SECURITY || kind == GroupKind.DISTRIBUTION || kind == GroupKind.MAIL_ENABLED_SECURITY) {
      return Membership.empty();
    }
    int a = Mix.pick(salt, index, 106, userCount);
    int b = Mix.pick(salt, index, 107, userCount);
    int[] owners = a == b || kind == GroupKind.DYNAMIC_SECURITY ? new int[] {a} : new int[] {a, b};
    return new Membership(userCount, 0, 0, owners, new int[0]);
  }

  Map<String, Object> properties(int index) {
    GroupKind kind = kind(index);
    String topic = Words.GROUP_TOPIC.get(Mix.pick(salt, index, 108, Words.GROUP_TOPIC.size()));
    String name = index == 0 ? "All Users" : topic + " " + suffix(kind) + " " + index;
    String nick = name.replaceAll("[^A-Za-z0-9]", "");
    long created = EPOCH_2019 + Mix.pick(salt, index, 109, 6 * 365 * 24) * 3600L;
    Map<String, Object> p = new LinkedHashMap<>(64);
    p.put("id", ids.id(ObjectKind.GROUP, index).toString());
    p.put("classification", null);
    p.put("createdDateTime", Instant.ofEpochSecond(created).toString());
    p.put("creationOptions", kind == GroupKind.UNIFIED ? List.of("YammerProvisioning") : List.of());
    p.put("deletedDateTime", null);
    p.put("description", index == 0 ? "Every user in the directory" : "The " + topic + " " + suffix(kind).toLowerCase());
    p.put("displayName", name);
    p.put("expirationDateTime", null);
    p.put("groupTypes", switch (kind) {
      case UNIFIED -> List.of("Unified");
      case DYNAMIC_SECURITY -> List.of("DynamicMembership");
      default -> List.of();
    });
    p.put("isAssignableToRole", kind == GroupKind.SECURITY && index % 17 == 3 ? Boolean.TRUE : null);
    boolean mailEnabled = kind == GroupKind.UNIFIED || kind == GroupKind.MAIL_ENABLED_SECURITY || kind == GroupKind.DISTRIBUTION;
    String mail = mailEnabled ? nick.toLowerCase() + "@" + domain : null;
    p.put("mail", mail);
    p.put("mailEnabled", mailEnabled);
    p.put("mailNickname", mailEnabled ? nick.toLowerCase() : nick.toLowerCase() + "-" + Integer.toHexString(index));
    p.put("membershipRule", kind == GroupKind.DYNAMIC_SECURITY
        ? "(user.department -eq \"" + Words.DEPARTMENT.get(Mix.pick(salt, index, 110, Words.DEPARTMENT.size())) + "\")" : null);
    p.put("membershipRuleProcessingState", kind == GroupKind.DYNAMIC_SECURITY ? "On" : null);
    boolean synced = kind == GroupKind.SYNCED_SECURITY;
    p.put("onPremisesDomainName", synced ? "corp.contoso.com" : null);
    p.put("onPremisesLastSyncDateTime", synced ? "2026-11-28T23:30:00Z" : null);
    p.put("onPremisesNetBiosName", synced ? "CORP" : null);
    p.put("onPremisesSamAccountName", synced ? nick : null);
    p.put("onPremisesSecurityIdentifier", synced ? "S-1-5-21-1180699209-877415012-3182924384-" + (500000 + index) : null);
    p.put("onPremisesSyncEnabled", synced ? Boolean.TRUE : null);
    p.put("preferredDataLocation", null);
    p.put("preferredLanguage", null);
    p.put("proxyAddresses", mail == null ? List.of() : List.of("SMTP:" + mail));
    p.put("renewedDateTime", Instant.ofEpochSecond(created).toString());
    p.put("resourceBehaviorOptions", List.of());
    p.put("resourceProvisioningOptions", kind == GroupKind.UNIFIED ? List.of("Team") : List.of());
    p.put("securityEnabled", kind != GroupKind.DISTRIBUTION && kind != GroupKind.UNIFIED);
    p.put("securityIdentifier", "S-1-12-1-" + Integer.toUnsignedString((int) Mix.hash(salt, index, 111)) + "-"
        + Integer.toUnsignedString((int) Mix.hash(salt, index, 112)));
    p.put("theme", null);
    p.put("visibility", kind == GroupKind.UNIFIED ? (index % 3 == 0 ? "Private" : "Public") : null);
    return p;
  }

  private static String suffix(GroupKind kind) {
    return switch (kind) {
      case SECURITY -> "Security";
      case UNIFIED -> "Team";
      case DYNAMIC_SECURITY -> "Dynamic";
      case MAIL_ENABLED_SECURITY -> "Mail Security";
      case DISTRIBUTION -> "List";
      case SYNCED_SECURITY -> "AD Group";
    };
  }
}
