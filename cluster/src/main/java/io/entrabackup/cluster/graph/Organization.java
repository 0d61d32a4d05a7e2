package io.entrabackup.cluster.graph;

import java.util.List;

/** What Graph's {@code GET /organization} says about a tenant: its id, name and verified domains. */
public record Organization(String tenantId, String displayName, List<String> verifiedDomains, String defaultDomain) {
  public Organization {
    verifiedDomains = List.copyOf(verifiedDomains);
  }
}
