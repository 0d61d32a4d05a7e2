package io.entrabackup.cluster.graph.read;

import io.entrabackup.protocol.backup.ObjectType;
import java.util.List;

/**
 * The {@code $select} lists of a lossless backup. Without {@code $select} Graph returns only a default property set,
 * and delta tracks only selected properties, so we name every property we keep.
 *
 * <p>Source: the Microsoft Graph v1.0 resource pages ({@code api-reference/v1.0/resources/user.md}, {@code group.md},
 * {@code directoryrole.md}) in microsoftgraph/microsoft-graph-docs-contrib, minus what {@code user-delta.md} /
 * {@code group-delta.md} say delta cannot track (it answers 501 NotImplemented for {@code skills}, {@code aboutMe},
 * {@code birthday}, {@code hireDate}, {@code interests}, {@code mySite}, {@code pastProjects}, {@code preferredName},
 * {@code responsibilities}, {@code schools}, {@code signInActivity}, {@code mailboxSettings}, licenses and plans; on
 * groups {@code allowExternalSenders}, {@code autoSubscribeNewMembers}, {@code hideFromAddressLists},
 * {@code hideFromOutlookClients}, {@code isSubscribedByMail}, {@code unseenCount}, {@code isArchived}), cross-checked
 * with the simulator's {@code UserSchema} / {@code GroupSchema}. Write-only {@code passwordProfile} is never returned.
 * Relations: {@code manager} (users, gives {@code manager@delta}), {@code members} and {@code owners} (groups, give
 * {@code members@delta} / {@code owners@delta}), {@code members} (directory roles).
 */
public final class Selects {
  private Selects() {}

  public static final List<String> USERS = List.of("id", "accountEnabled", "ageGroup", "businessPhones", "city",
      "companyName", "consentProvidedForMinor", "country", "createdDateTime", "creationType", "deletedDateTime",
      "department", "displayName", "employeeHireDate", "employeeId", "employeeOrgData", "employeeType",
      "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "givenName", "identities", "imAddresses",
      "isResourceAccount", "jobTitle", "lastPasswordChangeDateTime", "legalAgeGroupClassification", "mail",
      "mailNickname", "mobilePhone", "officeLocation", "onPremisesDistinguishedName", "onPremisesDomainName",
      "onPremisesExtensionAttributes", "onPremisesImmutableId", "onPremisesLastSyncDateTime",
      "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
      "onPremisesUserPrincipalName", "otherMails", "passwordPolicies", "postalCode", "preferredDataLocation",
      "preferredLanguage", "proxyAddresses", "securityIdentifier", "showInAddressList", "state", "streetAddress",
      "surname", "usageLocation", "userPrincipalName", "userType", "manager");

  public static final List<String> GROUPS = List.of("id", "classification", "createdDateTime", "creationOptions",
      "deletedDateTime", "description", "displayName", "expirationDateTime", "groupTypes", "isAssignableToRole",
      "mail", "mailEnabled", "mailNickname", "membershipRule", "membershipRuleProcessingState",
      "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesSamAccountName",
      "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation", "preferredLanguage",
      "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
      "securityEnabled", "securityIdentifier", "theme", "visibility", "members", "owners");

  public static final List<String> DIRECTORY_ROLES = List.of("id", "deletedDateTime", "description", "displayName",
      "roleTemplateId", "members");

  /** The list for a delta type; role definitions and assignments are read whole (lists return every property). */
  public static List<String> of(ObjectType type) {
    return switch (type) {
      case USERS -> USERS;
      case GROUPS -> GROUPS;
      case DIRECTORY_ROLES -> DIRECTORY_ROLES;
      case ROLE_DEFINITIONS, ROLE_ASSIGNMENTS -> List.of();
    };
  }
}
