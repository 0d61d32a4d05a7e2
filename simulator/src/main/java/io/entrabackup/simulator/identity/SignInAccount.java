package io.entrabackup.simulator.identity;

import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.RoleCatalog;
import io.entrabackup.simulator.directory.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Who can sign in at the simulator's authorize endpoint: each directory's Global Administrator,
 * {@code admin@<initial domain>}, the account the admin-consent page has always stood for (its object id is stable,
 * so ID tokens name the same {@code oid} across restarts); and any other live user of a directory, by user principal
 * name, with the directory roles the directory gives that user, so that tests can sign in as someone who is not an
 * administrator.
 *
 * @param roles the template ids of the user's tenant-wide built-in directory roles, the implicit User (or Guest User)
 *     role included, as Microsoft puts them in {@code wids}
 */
public record SignInAccount(String tenantId, String userPrincipalName, String displayName, String objectId,
                            Set<String> roles) {

  public static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
  /** The implicit role of every member user ("User"), which Microsoft lists in {@code wids} too. */
  public static final String USER = "b79fbf4d-3ef9-4689-8143-76b194e85509";
  /** The implicit role of a guest ("Guest User"). */
  public static final String GUEST_USER = "10dae51f-b6af-4016-8d66-8c2a99b929b3";

  public SignInAccount {
    roles = Set.copyOf(roles);
  }

  /** The Global Administrator of {@code tenant}. */
  public static SignInAccount adminOf(Tenant tenant) {
    String tenantId = tenant.id().toString();
    return new SignInAccount(tenantId, "admin@" + tenant.domain(), tenant.displayName() + " Administrator",
        UUID.nameUUIDFromBytes(("admin:" + tenantId).getBytes(StandardCharsets.UTF_8)).toString(),
        Set.of(GLOBAL_ADMINISTRATOR, USER));
  }

  /** A live user of {@code tenant} by user principal name, with the roles the directory gives them; empty if none. */
  public static Optional<SignInAccount> userOf(Tenant tenant, String userPrincipalName) {
    synchronized (tenant) {
      int index = tenant.userByUpn(userPrincipalName);
      if (index < 0 || !tenant.isLive(ObjectKind.USER, index)) {
        return Optional.empty();
      }
      Map<String, Object> user = tenant.properties(ObjectKind.USER, index);
      Set<String> roles = new TreeSet<>();
      roles.add("Guest".equals(user.get("userType")) ? GUEST_USER : USER);
      long principal = Membership.key(ObjectKind.USER, index);
      for (RoleCatalog.RoleAssignment assignment : tenant.roles().assignments()) {
        RoleCatalog.RoleDefinition role = tenant.roles().definition(assignment.roleDefinitionId());
        // wids names tenant-wide built-in roles only: no custom role, no role scoped to an administrative unit.
        if (assignment.principal() == principal && assignment.directoryScopeId().equals("/") && role != null
            && role.builtIn()) {
          roles.add(role.id());
        }
      }
      return Optional.of(new SignInAccount(tenant.id().toString(), String.valueOf(user.get("userPrincipalName")),
          String.valueOf(user.get("displayName")), tenant.objectId(ObjectKind.USER, index), roles));
    }
  }
}
