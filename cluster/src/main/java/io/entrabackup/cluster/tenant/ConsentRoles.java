package io.entrabackup.cluster.tenant;

import com.typesafe.config.Config;
import io.entrabackup.protocol.tenant.TenantRegistration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code entra-backup.auth.consent-roles}: the Entra built-in directory roles (template ids, as the ID token's
 * {@code wids} names them) of which the signed-in admin must hold one to go on to admin consent. Our app asks for
 * Microsoft Graph application permissions, which Microsoft lets only a Global Administrator or a Privileged Role
 * Administrator grant tenant-wide (an Application or Cloud Application Administrator may grant anything but Graph app
 * roles), so those two are the default. See cluster/CONSENT.md.
 */
public record ConsentRoles(Set<String> templateIds) {

  static final String SETTING = "entra-backup.auth.consent-roles";

  /** Names for the page the admin sees; a role not listed here is shown by its template id. */
  private static final Map<String, String> NAMES = Map.of(
      "62e90394-69f5-4237-9190-012177145e10", "Global Administrator",
      "e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator",
      "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator",
      "158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator");

  public ConsentRoles {
    templateIds = Set.copyOf(templateIds);
  }

  /** Reads and checks the setting: at least one role, each a template id (a GUID); refused at start otherwise. */
  public static ConsentRoles create(Config root) {
    List<String> configured = root.getStringList(SETTING);
    if (configured.isEmpty()) {
      throw new IllegalArgumentException(SETTING + " must name at least one directory role template id");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String id : configured) {
      if (!TenantRegistration.isDirectoryId(id)) {
        throw new IllegalArgumentException(SETTING + " holds role template ids (GUIDs), not '" + id + "'");
      }
      ids.add(id.strip().toLowerCase(Locale.ROOT));
    }
    return new ConsentRoles(ids);
  }

  /** "Global Administrator or Privileged Role Administrator": for the sentence the admin reads. */
  String described() {
    List<String> names = templateIds.stream().sorted().map(id -> NAMES.getOrDefault(id, "the role " + id)).toList();
    if (names.size() == 1) {
      return names.get(0);
    }
    return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", "))
        + " or " + names.get(names.size() - 1);
  }
}
