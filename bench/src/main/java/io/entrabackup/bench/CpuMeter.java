package io.entrabackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time the node, the simulator and Cassandra used over a phase, and the whole machine's, from /proc (Linux):
 * on a shared 2-core machine it shows how much of the wall time was ours to spend.
 */
final class CpuMeter {

  /** Clock ticks per second of /proc/PID/stat and /proc/stat (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;

  private final Map<String, Long> pids;
  private Map<String, Long> start;
  private long startMillis;

  CpuMeter(Map<String, Long> pids) {
    this.pids = pids;
  }

  /** The Cassandra server's pid, found by its main class. */
  static Optional<Long> cassandraPid() {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> {
            try {
              return Files.readString(p.resolve("cmdline")).contains("org.apache.cassandra.service.CassandraDaemon");
            } catch (IOException | RuntimeException e) {
              return false;
            }
          })
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void start() {
    start = ticks();
    startMillis = System.currentTimeMillis();
  }

  /** CPU seconds per process since {@link #start}, plus "machine" (all cores busy time) and "wall". */
  Map<String, Double> stop() {
    Map<String, Long> end = ticks();
    Map<String, Double> used = new LinkedHashMap<>();
    end.forEach((name, value) -> used.put(name, (value - start.getOrDefault(name, value)) / TICKS));
    used.put("wall", (System.currentTimeMillis() - startMillis) / 1000.0);
    return used;
  }

  private Map<String, Long> ticks() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    pids.forEach((name, pid) -> processTicks(pid).ifPresent(t -> ticks.put(name, t)));
    machineBusyTicks().ifPresent(t -> ticks.put("machine", t));
    return ticks;
  }

  private static Optional<Long> processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> machineBusyTicks() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i <= 7 && i < cpu.length; i++) {
        if (i != 4 && i != 5) { // user nice system irq softirq; not idle, iowait (nor steal, guest)
          busy += Long.parseLong(cpu[i]);
        }
      }
      return Optional.of(busy);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
