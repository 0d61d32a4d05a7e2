package io.entrabackup.node.multinode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code deploy/ops} against the running node processes, as ops would with ENTRA_OPS_URLS set. */
final class DeployOps {

  /** What the command printed and how it ended. */
  record Result(int exitCode, String output) {}

  private DeployOps() {}

  static Result run(Path root, List<NodeProcess> nodes, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(root.resolve("deploy/ops").toString()));
    command.addAll(List.of(args));
    List<String> urls = nodes.stream().map(node -> "http://127.0.0.1:" + node.ports().management()).toList();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ENTRA_OPS_URLS", String.join(" ", urls));
    // A moved shard restarts its tenant (journal replay on three Cassandra nodes) on a loaded machine.
    builder.environment().put("ENTRA_OPS_TIMEOUT", "120");
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("deploy/ops " + String.join(" ", args) + " did not finish");
    }
    String printed = new String(output, StandardCharsets.UTF_8);
    MultiNodeCluster.say("deploy/ops " + String.join(" ", args) + " -> " + process.exitValue() + ": " + printed.strip());
    return new Result(process.exitValue(), printed);
  }
}
