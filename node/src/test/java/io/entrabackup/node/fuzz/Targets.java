package io.entrabackup.node.fuzz;

import java.util.List;

/**
 * What the fuzz run aims at: the real ids, keys, cursors, links and consent states of a deployment where account A
 * (the attacker, whose key sends everything) and account B (the victim, never addressed with B's key) each protect
 * a backed-up directory.
 *
 * @param pendingTenantA a tenant of A registered without a directory and asked to activate: {@code freshStateA} is
 *     its live consent state, the one the crafted-callback attack of issue 15 starts from
 * @param usedCallbacks the consent callbacks (path and query) that authorized A's and B's tenants, already used
 * @param linkA a signed download link of A (path and query), valid
 * @param linkB a signed download link of B, never fetched as it is (a fetch would change B's job)
 */
public record Targets(
    String keyA,
    String bootstrapKey,
    String accountA,
    String accountB,
    String tenantA,
    String tenantB,
    String pendingTenantA,
    String directoryA,
    String directoryB,
    String userA,
    String groupA,
    String userB,
    String versionA,
    String versionB,
    String backupJobA,
    String backupJobB,
    String downloadJobA,
    String downloadJobB,
    String linkA,
    String linkB,
    String cursorA,
    String cursorB,
    String keyIdA,
    String keyIdB,
    List<String> usedCallbacks,
    String freshStateA) {

  /** Fills a route template's placeholders with A's real values. */
  public String fill(String template) {
    return template.replace("{tenant}", tenantA).replace("{type}", "users").replace("{object}", userA)
        .replace("{version}", versionA).replace("{job}", backupJobA).replace("{account}", accountA)
        .replace("{key}", "no-such-key").replace("{download}", downloadJobA);
  }
}
