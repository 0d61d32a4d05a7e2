package io.entrabackup.simulator.directory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The user properties the simulator knows (v1.0 user resource), and which are defaults, read-only, synced, untracked. */
public final class UserSchema {
  private UserSchema() {}

  /** A user's fifteen onPremisesExtensionAttributes, all null, in order: a new map for the caller to fill. */
  public static Map<String, Object> emptyExtensionAttributes() {
    Map<String, Object> ext = new LinkedHashMap<>(24);
    for (int i = 1; i <= 15; i++) {
      ext.put("extensionAttribute" + i, null);
    }
    return ext;
  }

  /** Name of the one directory schema extension the generator fills (an app-registered extension property). */
  public static final String EXTENSION_COST_CENTER = "extension_b7d8e9f0a1b24c3d8e9f0a1b2c3d4e5f_costCenter";

  public static final List<String> ALL = List.of("id", "accountEnabled", "ageGroup", "businessPhones", "city",
      "companyName", "consentProvidedForMinor", "country", "createdDateTime", "creationType", "deletedDateTime",
      "department", "displayName", "employeeHireDate", "employeeId", "employeeOrgData", "employeeType",
      "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "givenName", "identities", "imAddresses",
      "isResourceAccount", "jobTitle", "lastPasswordChangeDateTime", "legalAgeGroupClassification", "mail",
      "mailNickname", "mobilePhone", "officeLocation", "onPremisesDistinguishedName", "onPremisesDomainName",
      "onPremisesExtensionAttributes", "onPremisesImmutableId", "onPremisesLastSyncDateTime",
      "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
      "onPremisesUserPrincipalName", "otherMails", "passwordPolicies", "postalCode", "preferredDataLocation",
      "preferredLanguage", "proxyAddresses", "securityIdentifier", "showInAddressList", "state", "streetAddress",
      "surname", "usageLocation", "userPrincipalName", "userType", EXTENSION_COST_CENTER);

  /** What /users and /users/delta return without $select (user-delta.md Example 1). */
  public static final List<String> DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
      "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");

  /** Real user properties that delta cannot track: selecting them on delta answers 501 NotImplemented. */
  public static final Set<String> NOT_TRACKED_BY_DELTA = Set.of("skills", "aboutMe", "birthday", "hireDate",
      "interests", "mySite", "pastProjects", "preferredName", "responsibilities", "schools", "signInActivity",
      "mailboxSettings", "licenseAssignmentStates", "assignedLicenses", "assignedPlans", "provisionedPlans");

  /** Never settable through PATCH or POST. */
  public static final Set<String> READ_ONLY = Set.of("id", "createdDateTime", "creationType", "deletedDateTime",
      "externalUserState", "externalUserStateChangeDateTime", "imAddresses", "isResourceAccount",
      "lastPasswordChangeDateTime", "legalAgeGroupClassification", "onPremisesDistinguishedName",
      "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesSamAccountName",
      "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "proxyAddresses",
      "securityIdentifier");

  /** Mastered on-premises for synced users: cloud writes are refused. */
  public static final Set<String> SYNC_MASTERED = Set.of("accountEnabled", "businessPhones", "city", "companyName",
      "country", "department", "displayName", "employeeHireDate", "employeeId", "employeeType", "faxNumber",
      "givenName", "jobTitle", "mail", "mailNickname", "mobilePhone", "officeLocation", "onPremisesExtensionAttributes",
      "onPremisesImmutableId", "otherMails", "postalCode", "state", "streetAddress", "surname", "userPrincipalName",
      "manager");

  /** Required by POST /users. */
  public static final List<String> REQUIRED_ON_CREATE = List.of("accountEnabled", "displayName", "mailNickname",
      "userPrincipalName", "passwordProfile");

  /** Accepted on write but never returned (write-only). */
  public static final Set<String> WRITE_ONLY = Set.of("passwordProfile");
}
