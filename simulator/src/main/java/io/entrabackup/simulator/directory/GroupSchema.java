package io.entrabackup.simulator.directory;

import java.util.List;
import java.util.Set;

/** The group properties the simulator knows (v1.0 group resource) and their write rules. */
public final class GroupSchema {
  private GroupSchema() {}

  public static final List<String> ALL = List.of("id", "classification", "createdDateTime", "creationOptions",
      "deletedDateTime", "description", "displayName", "expirationDateTime", "groupTypes", "isAssignableToRole",
      "mail", "mailEnabled", "mailNickname", "membershipRule", "membershipRuleProcessingState",
      "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesSamAccountName",
      "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation", "preferredLanguage",
      "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
      "securityEnabled", "securityIdentifier", "theme", "visibility");

  /** Without $select: every property above (group lists return the full v1.0 default set) plus members on delta. */
  public static final List<String> DEFAULT = ALL;

  public static final Set<String> RELATIONS = Set.of("members", "owners");

  public static final Set<String> NOT_TRACKED_BY_DELTA = Set.of("allowExternalSenders", "autoSubscribeNewMembers",
      "hideFromAddressLists", "hideFromOutlookClients", "isSubscribedByMail", "unseenCount", "isArchived");

  public static final Set<String> READ_ONLY = Set.of("id", "createdDateTime", "deletedDateTime", "expirationDateTime",
      "mail", "mailEnabled", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName",
      "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "proxyAddresses",
      "renewedDateTime", "securityIdentifier", "creationOptions", "resourceProvisioningOptions");

  public static final Set<String> SYNC_MASTERED = Set.of("displayName", "description", "mailNickname",
      "securityEnabled", "groupTypes", "visibility");

  public static final List<String> REQUIRED_ON_CREATE = List.of("displayName", "mailEnabled", "mailNickname",
      "securityEnabled");
}
