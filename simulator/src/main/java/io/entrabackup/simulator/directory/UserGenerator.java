package io.entrabackup.simulator.directory;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a generated user's properties from (tenant salt, index) on demand. Nothing per user is stored, which is
 * what keeps a million-user tenant small: only changes made later are kept, as overrides.
 */
final class UserGenerator {
  /** How a generated user is mastered. */
  enum Kind { CLOUD, SYNCED, GUEST }

  private static final long EPOCH_2019 = Instant.parse("2019-01-01T00:00:00Z").getEpochSecond();
  private static final long SIX_YEARS = 6L * 365 * 86400;

  private final long salt;
  private final String domain;
  private final String netbios;
  private final ObjectIds ids;

  UserGenerator(long salt, String domain, ObjectIds ids) {
    this.salt = salt;
    this.domain = domain;
    this.netbios = domain.substring(0, domain.indexOf('.')).toUpperCase();
    this.ids = ids;
  }

  Kind kind(int index) {
    if (index == 0) {
      return Kind.CLOUD;
    }
    int r = Mix.pick(salt, index, 1, 100);
    return r < 10 ? Kind.GUEST : r < 65 ? Kind.SYNCED : Kind.CLOUD;
  }

  /** The mail nickname, unique by construction: it ends with the index. */
  String nickname(int index) {
    if (index == 0) {
      return "admin";
    }
    String given = Words.GIVEN.get(Mix.pick(salt, index, 2, Words.GIVEN.size()));
    String sur = Words.SURNAME.get(Mix.pick(salt, index, 3, Words.SURNAME.size()));
    return given + sur.charAt(0) + index;
  }

  /** Parses the index back out of a generated user principal name, or -1. */
  static int indexFromUpn(String upn) {
    int at = upn.indexOf('@');
    String local = at < 0 ? upn : upn.substring(0, at);
    int ext = local.indexOf("_");
    if (ext > 0) {
      local = local.substring(0, ext);
    }
    if (local.equalsIgnoreCase("admin")) {
      return 0;
    }
    int end = local.length();
    int start = end;
    while (start > 0 && Character.isDigit(local.charAt(start - 1))) {
      start--;
    }
    if (start == end || end - start > 9) {
      return -1;
    }
    return Integer.parseInt(local.substring(start, end));
  }

  Map<String, Object> properties(int index) {
    Kind kind = kind(index);
    String given = index == 0 ? "MOD" : Words.GIVEN.get(Mix.pick(salt, index, 2, Words.GIVEN.size()));
    String sur = index == 0 ? "Administrator" : Words.SURNAME.get(Mix.pick(salt, index, 3, Words.SURNAME.size()));
    String nick = nickname(index);
    String[] place = Words.CITY.get(Mix.pick(salt, index, 4, Words.CITY.size())).split("\\|", -1);
    String department = Words.DEPARTMENT.get(Mix.pick(salt, index, 5, Words.DEPARTMENT.size()));
    long created = EPOCH_2019 + Mix.pick(salt, index, 6, (int) (SIX_YEARS / 60)) * 60L;
    String createdText = Instant.ofEpochSecond(created).toString();
    String phone = "+1 425 555 " + zeroPadded(Mix.pick(salt, index, 7, 10000), 4);

    Map<String, Object> p = new LinkedHashMap<>(96);
    p.put("id", ids.id(ObjectKind.USER, index).toString());
    p.put("accountEnabled", Mix.pick(salt, index, 8, 100) >= 4);
    p.put("ageGroup", null);
    p.put("consentProvidedForMinor", null);
    p.put("legalAgeGroupClassification", null);
    p.put("createdDateTime", createdText);
    p.put("deletedDateTime", null);
    p.put("displayName", given + " " + sur);
    p.put("givenName", given);
    p.put("surname", sur);
    p.put("identities", List.of());
    p.put("imAddresses", List.of());
    p.put("isResourceAccount", null);
    p.put("passwordPolicies", kind == Kind.SYNCED ? "DisablePasswordExpiration" : null);
    p.put("preferredDataLocation", null);
    p.put("showInAddressList", null);
    p.put("faxNumber", null);
    p.put("lastPasswordChangeDateTime", Instant.ofEpochSecond(created + 86400L * Mix.pick(salt, index, 9, 400)).toString());
    p.put("securityIdentifier", "S-1-12-1-" + Integer.toUnsignedString((int) Mix.hash(salt, index, 10)) + "-"
        + Integer.toUnsignedString((int) Mix.hash(salt, index, 11)) + "-" + Integer.toUnsignedString((int) Mix.hash(salt, index, 12))
        + "-" + Integer.toUnsignedString((int) Mix.hash(salt, index, 13)));
    p.put("preferredLanguage", Words.LANGUAGE.get(Mix.pick(salt, index, 14, Words.LANGUAGE.size())));
    p.put("usageLocation", place[2]);
    p.put("country", place[2]);
    p.put("city", place[0]);
    p.put("state", place[1].isEmpty() ? null : place[1]);
    p.put("postalCode", place[3]);
    p.put("streetAddress", place[4]);
    p.put("officeLocation", (1 + Mix.pick(salt, index, 15, 40)) + "/" + (1000 + Mix.pick(salt, index, 16, 2000)));
    p.put("employeeOrgData", null);
    if (kind == Kind.GUEST) {
      guest(p, index, given, sur, created);
    } else {
      member(p, index, kind, nick, department, phone, createdText);
    }
    p.put(UserSchema.EXTENSION_COST_CENTER, kind == Kind.GUEST ? null : "CC-" + (1000 + Mix.pick(salt, index, 17, 90)));
    return p;
  }

  private void member(Map<String, Object> p, int index, Kind kind, String nick, String department, String phone,
                      String createdText) {
    String mail = nick + "@" + domain;
    p.put("businessPhones", List.of(phone));
    p.put("mobilePhone", Mix.pick(salt, index, 18, 3) == 0 ? null : phone.substring(0, 12) + zeroPadded(Mix.pick(salt, index, 19, 10000), 4));
    p.put("companyName", "Contoso");
    p.put("department", department);
    p.put("jobTitle", index == 0 ? "Administrator" : Words.JOB_TITLE.get(Mix.pick(salt, index, 20, Words.JOB_TITLE.size())));
    p.put("employeeId", "E" + zeroPadded(index, 7));
    p.put("employeeType", Words.EMPLOYEE_TYPE.get(Mix.pick(salt, index, 21, Words.EMPLOYEE_TYPE.size())));
    p.put("employeeHireDate", createdText.substring(0, 10) + "T00:00:00Z");
    p.put("creationType", null);
    p.put("externalUserState", null);
    p.put("externalUserStateChangeDateTime", null);
    p.put("mail", mail);
    p.put("mailNickname", nick);
    p.put("otherMails", Mix.pick(salt, index, 22, 4) == 0 ? List.of(nick.toLowerCase() + "@outlook.com") : List.of());
    p.put("proxyAddresses", List.of("SMTP:" + mail, "smtp:" + nick + "@" + netbios.toLowerCase() + ".mail.onmicrosoft.com"));
    p.put("userPrincipalName", mail);
    p.put("userType", "Member");
    onPremises(p, index, kind == Kind.SYNCED, nick, department);
  }

  private void guest(Map<String, Object> p, int index, String given, String sur, long created) {
    String home = Words.GUEST_DOMAIN.get(Mix.pick(salt, index, 23, Words.GUEST_DOMAIN.size()));
    String local = (given + "." + sur).toLowerCase() + index;
    String external = local + "@" + home;
    p.put("displayName", given + " " + sur + " (" + home + ")");
    p.put("businessPhones", List.of());
    p.put("mobilePhone", null);
    p.put("companyName", null);
    p.put("department", null);
    p.put("jobTitle", null);
    p.put("employeeId", null);
    p.put("employeeType", null);
    p.put("employeeHireDate", null);
    p.put("creationType", "Invitation");
    p.put("externalUserState", "Accepted");
    p.put("externalUserStateChangeDateTime", Instant.ofEpochSecond(created + 3600).toString());
    p.put("mail", external);
    p.put("mailNickname", local);
    p.put("otherMails", List.of(external));
    p.put("proxyAddresses", List.of("SMTP:" + external));
    p.put("userPrincipalName", local + "_" + home + "#EXT#@" + domain);
    p.put("userType", "Guest");
    onPremises(p, index, false, null, null);
  }

  /**
   * The on-premises properties, in Graph's order: what Active Directory sync writes for a synced member, null for a
   * cloud member or a guest (who keep only empty extension attributes).
   */
  private void onPremises(Map<String, Object> p, int index, boolean synced, String nick, String department) {
    p.put("onPremisesSyncEnabled", synced ? Boolean.TRUE : null);
    p.put("onPremisesImmutableId", synced ? immutableId(index) : null);
    p.put("onPremisesSamAccountName", synced ? nick.toLowerCase() : null);
    p.put("onPremisesDomainName", synced ? "corp." + domain.substring(0, domain.indexOf('.')) + ".com" : null);
    p.put("onPremisesUserPrincipalName", synced ? nick.toLowerCase() + "@corp.contoso.com" : null);
    p.put("onPremisesDistinguishedName", synced ? "CN=" + nick + ",OU=" + department + ",DC=corp,DC=contoso,DC=com" : null);
    p.put("onPremisesSecurityIdentifier", synced ? "S-1-5-21-1180699209-877415012-3182924384-" + (1000 + index) : null);
    p.put("onPremisesLastSyncDateTime", synced ? "2026-11-28T23:30:00Z" : null);
    p.put("onPremisesExtensionAttributes", extensionAttributes(index, synced, department));
  }

  private Map<String, Object> extensionAttributes(int index, boolean synced, String department) {
    Map<String, Object> ext = UserSchema.emptyExtensionAttributes();
    if (synced) {
      ext.put("extensionAttribute1", department);
      ext.put("extensionAttribute2", "Badge-" + (10000 + Mix.pick(salt, index, 24, 90000)));
      if (Mix.pick(salt, index, 25, 3) == 0) {
        ext.put("extensionAttribute10", "Floor " + (1 + Mix.pick(salt, index, 26, 12)));
      }
    }
    return ext;
  }

  private String immutableId(int index) {
    byte[] b = new byte[16];
    long a = Mix.hash(salt, index, 27);
    long c = Mix.hash(salt, index, 28);
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (a >>> (8 * i));
      b[8 + i] = (byte) (c >>> (8 * i));
    }
    return Base64.getEncoder().encodeToString(b);
  }

  /**
   * {@code value} in decimal, zero-padded to {@code width} digits: what {@code String.format("%0Nd")} gives, without
   * parsing a format for each of the three numbers every generated user has.
   */
  static String zeroPadded(int value, int width) {
    String digits = Integer.toString(value);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }
}
