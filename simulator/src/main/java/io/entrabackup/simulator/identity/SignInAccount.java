package io.entrabackup.simulator.identity;

import io.entrabackup.simulator.directory.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Who can sign in at the simulator's authorize endpoint: each directory's Global Administrator,
 * {@code admin@<initial domain>}, the account the admin-consent page has always stood for. Its object id is stable,
 * so ID tokens name the same {@code oid} across restarts.
 */
public record SignInAccount(String tenantId, String userPrincipalName, String displayName, String objectId) {

  /** The Global Administrator of {@code tenant}. */
  public static SignInAccount adminOf(Tenant tenant) {
    String tenantId = tenant.id().toString();
    return new SignInAccount(tenantId, "admin@" + tenant.domain(), tenant.displayName() + " Administrator",
        UUID.nameUUIDFromBytes(("admin:" + tenantId).getBytes(StandardCharsets.UTF_8)).toString());
  }
}
