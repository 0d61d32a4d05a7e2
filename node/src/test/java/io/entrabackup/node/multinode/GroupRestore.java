package io.entrabackup.node.multinode;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.node.SimulatorGraph;
import io.entrabackup.simulator.TenantInfo;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * A group whose members a restore brings back: cloud users are added to a cloud security group (which an app may
 * write) before the tenant's backup, taken out after it, and the group's backed-up version restored. The restore's
 * writes are those member additions, one each, so a restore never interrupted makes exactly {@code users.size()}.
 */
record GroupRestore(SimulatorGraph graph, String group, List<String> users, Set<String> wanted) {

  /** Adds {@code count} cloud users to a cloud security group of {@code directory}, through Graph as an admin would. */
  static GroupRestore prepare(MultiNodeCluster cluster, TenantInfo directory, int count) {
    SimulatorGraph graph = new SimulatorGraph(cluster.simulator(), directory.id(), MultiNodeCluster.CLIENT_ID,
        MultiNodeCluster.CLIENT_SECRET);
    String group = values(graph, "/groups?$select=id,groupTypes,mailEnabled,securityEnabled,onPremisesSyncEnabled"
        + "&$top=999")
        .filter(g -> g.path("groupTypes").isEmpty() && g.path("securityEnabled").asBoolean(false)
            && !g.path("mailEnabled").asBoolean(false) && !g.path("onPremisesSyncEnabled").asBoolean(false))
        .map(g -> g.get("id").asText()).sorted().findFirst().orElseThrow();
    Set<String> before = graph.members(group);
    List<String> users = values(graph, "/users?$select=id,userPrincipalName,onPremisesSyncEnabled,userType&$top=999")
        .filter(u -> !u.path("onPremisesSyncEnabled").asBoolean(false) && "Member".equals(u.path("userType").asText())
            && !u.path("userPrincipalName").asText().startsWith("admin@"))
        .map(u -> u.get("id").asText()).filter(id -> !before.contains(id)).sorted().limit(count).toList();
    if (users.size() != count) {
      throw new AssertionError("only " + users.size() + " cloud users outside group " + group);
    }
    users.forEach(user -> graph.ok("POST", "/groups/" + group + "/members/$ref", graph.ref(user)));
    return new GroupRestore(graph, group, users, graph.members(group));
  }

  /** Takes the added users out of the group again (after the backup that holds them as members). */
  void removeMembers() {
    users.forEach(user -> graph.ok("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null));
  }

  /** Restores the group's latest backed-up version through {@code node}; answers the job id. */
  String start(NodeProcess node, String tenantId) {
    String objects = "/api/v1/tenants/" + tenantId + "/objects/groups/" + group;
    String version = node.get(objects + "/versions", MultiNodeCluster.KEY).get("versions").get(0).get("versionId")
        .asText();
    return NodeProcess.ok(node.send("POST", objects + "/restores", "{\"version\":\"" + version + "\"}",
        MultiNodeCluster.KEY), 202).get("jobId").asText();
  }

  /** The group's members as Graph lists them now. */
  Set<String> members() {
    return graph.members(group);
  }

  private static java.util.stream.Stream<JsonNode> values(SimulatorGraph graph, String path) {
    return StreamSupport.stream(graph.ok("GET", path, null).get("value").spliterator(), false);
  }
}
