package io.entrabackup.protocol.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each object type can do, and its names in JSON, as Graph v1.0 and our restores stand today. */
class ObjectTypeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void backupOrderPutsRolesAfterTheUsersAndGroupsTheyReferTo() {
    assertEquals(List.of(ObjectType.USERS, ObjectType.GROUPS, ObjectType.DIRECTORY_ROLES,
        ObjectType.ROLE_DEFINITIONS, ObjectType.ROLE_ASSIGNMENTS), ObjectType.inBackupOrder());
  }

  @Test
  void onlyUsersGroupsAndDirectoryRolesHaveDeltaInGraphV1() {
    assertTrue(ObjectType.USERS.hasDelta());
    assertTrue(ObjectType.GROUPS.hasDelta());
    assertTrue(ObjectType.DIRECTORY_ROLES.hasDelta());
    assertFalse(ObjectType.ROLE_DEFINITIONS.hasDelta());
    assertFalse(ObjectType.ROLE_ASSIGNMENTS.hasDelta());
  }

  @Test
  void everyTypeButRoleDefinitionsIsRestorable() {
    assertEquals(List.of(ObjectType.USERS, ObjectType.GROUPS, ObjectType.DIRECTORY_ROLES,
        ObjectType.ROLE_ASSIGNMENTS), ObjectType.restorable());
    assertFalse(ObjectType.ROLE_DEFINITIONS.isRestorable());
    assertEquals("users, groups, directoryRoles and roleAssignments", ObjectType.describe(ObjectType.restorable()));
  }

  @Test
  void groupsAndDirectoryRolesHaveMembers() {
    assertEquals(List.of(ObjectType.GROUPS, ObjectType.DIRECTORY_ROLES),
        ObjectType.inBackupOrder().stream().filter(ObjectType::hasMembers).toList());
  }

  @Test
  void jsonNamesAreGraphCollectionNames() throws Exception {
    assertEquals("[\"users\",\"groups\",\"directoryRoles\",\"roleDefinitions\",\"roleAssignments\"]",
        JSON.writeValueAsString(ObjectType.inBackupOrder()));
    assertEquals(ObjectType.DIRECTORY_ROLES, JSON.readValue("\"directoryRoles\"", ObjectType.class));
    assertEquals(Optional.of(ObjectType.ROLE_ASSIGNMENTS), ObjectType.fromApiName("roleAssignments"));
    assertEquals(Optional.empty(), ObjectType.fromApiName("USERS"));
    assertThrows(ValueInstantiationException.class, () -> JSON.readValue("\"devices\"", ObjectType.class));
  }
}
