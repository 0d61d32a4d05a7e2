package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The setting of which directory roles may go on to admin consent. */
class ConsentRolesTest {

  @Test
  void byDefaultAGlobalOrPrivilegedRoleAdministrator() {
    ConsentRoles roles = ConsentRoles.create(ConfigFactory.load());
    assertEquals(Set.of("62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814"),
        roles.templateIds());
    assertEquals("Global Administrator or Privileged Role Administrator", roles.described());
  }

  @Test
  void anOperatorMayNarrowTheListAndNamesUnknownRolesById() {
    ConsentRoles only = ConsentRoles.create(ConfigFactory.parseString(
        "entra-backup.auth.consent-roles = [\"62E90394-69F5-4237-9190-012177145E10\"]"));
    assertEquals(Set.of("62e90394-69f5-4237-9190-012177145e10"), only.templateIds());
    assertEquals("Global Administrator", only.described());
    ConsentRoles other = ConsentRoles.create(ConfigFactory.parseString(
        "entra-backup.auth.consent-roles = [\"62e90394-69f5-4237-9190-012177145e10\","
            + " \"aaaaaaaa-0000-4000-8000-000000000001\"]"));
    assertEquals("Global Administrator or the role aaaaaaaa-0000-4000-8000-000000000001", other.described());
  }

  @Test
  void anEmptyListOrSomethingElseThanATemplateIdIsRefusedAtStart() {
    assertThrows(IllegalArgumentException.class, () -> ConsentRoles.create(
        ConfigFactory.parseString("entra-backup.auth.consent-roles = []")));
    assertThrows(IllegalArgumentException.class, () -> ConsentRoles.create(
        ConfigFactory.parseString("entra-backup.auth.consent-roles = [\"Global Administrator\"]")));
  }
}
