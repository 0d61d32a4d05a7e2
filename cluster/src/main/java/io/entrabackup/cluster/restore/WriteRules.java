package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.Set;

/**
 * Which properties Microsoft Graph lets an app write, as Microsoft's v1.0 user and group resource pages say
 * (cluster/RESTORE.md lists what is skipped and why):
 * read-only ones are refused with 400 for everyone; on objects synced from on-premises Active Directory
 * ({@code onPremisesSyncEnabled}), the properties AD masters are refused too. The planner skips both up front, so a
 * restore never sends a write it knows Graph refuses.
 */
final class WriteRules {

  private WriteRules() {}

  private static final Set<String> USER_READ_ONLY = Set.of("id", "createdDateTime", "creationType", "deletedDateTime",
      "externalUserState", "externalUserStateChangeDateTime", "imAddresses", "isResourceAccount",
      "lastPasswordChangeDateTime", "legalAgeGroupClassification", "onPremisesDistinguishedName",
      "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
      "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "proxyAddresses", "securityIdentifier",
      "signInActivity", "onPremisesProvisioningErrors");

  /** Mastered in on-premises AD for synced users: Graph refuses cloud edits ("on-premises mastered"). */
  private static final Set<String> USER_SYNC_MASTERED = Set.of("accountEnabled", "businessPhones", "city",
      "companyName", "country", "department", "displayName", "employeeHireDate", "employeeId", "employeeType",
      "faxNumber", "givenName", "jobTitle", "mail", "mailNickname", "mobilePhone", "officeLocation",
      "onPremisesExtensionAttributes", "onPremisesImmutableId", "otherMails", "postalCode", "state", "streetAddress",
      "surname", "userPrincipalName");

  private static final Set<String> GROUP_READ_ONLY = Set.of("id", "createdDateTime", "deletedDateTime",
      "expirationDateTime", "mail", "mailEnabled", "onPremisesDomainName", "onPremisesLastSyncDateTime",
      "onPremisesNetBiosName", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
      "onPremisesProvisioningErrors", "proxyAddresses", "renewedDateTime", "securityIdentifier", "creationOptions",
      "resourceProvisioningOptions");

  private static final Set<String> GROUP_SYNC_MASTERED = Set.of("displayName", "description", "mailNickname",
      "securityEnabled", "groupTypes", "visibility");

  /** Directory roles are activated built-in roles: only their members change. Assignments are replaced, not edited. */
  static boolean readOnly(ObjectType type, String property) {
    return switch (type) {
      case USERS -> USER_READ_ONLY.contains(property);
      case GROUPS -> GROUP_READ_ONLY.contains(property);
      case DIRECTORY_ROLES, ROLE_DEFINITIONS, ROLE_ASSIGNMENTS -> true;
    };
  }

  static boolean syncMastered(ObjectType type, String property) {
    return switch (type) {
      case USERS -> USER_SYNC_MASTERED.contains(property);
      case GROUPS -> GROUP_SYNC_MASTERED.contains(property);
      default -> false;
    };
  }

  /**
   * Annotations ({@code @odata.type}, {@code manager@delta}) and reference lists are not properties to PATCH; the id
   * is the object's identity (a recreated object's new id is reported, not skipped).
   */
  static boolean isProperty(String name) {
    return !name.contains("@") && !name.equals("members") && !name.equals("owners") && !name.equals("id");
  }

  static boolean synced(JsonNode state) {
    return state != null && state.path("onPremisesSyncEnabled").asBoolean(false);
  }

  static boolean dynamic(JsonNode group) {
    return hasGroupType(group, "DynamicMembership");
  }

  static boolean unified(JsonNode group) {
    return hasGroupType(group, "Unified");
  }

  /** Mail-enabled security groups and distribution lists: Graph cannot change them at all (Exchange owns them). */
  static boolean mailEnabledNonUnified(JsonNode group) {
    return group != null && group.path("mailEnabled").asBoolean(false) && !unified(group);
  }

  private static boolean hasGroupType(JsonNode group, String groupType) {
    if (group == null) {
      return false;
    }
    for (JsonNode type : group.path("groupTypes")) {
      if (groupType.equals(type.asText())) {
        return true;
      }
    }
    return false;
  }
}
