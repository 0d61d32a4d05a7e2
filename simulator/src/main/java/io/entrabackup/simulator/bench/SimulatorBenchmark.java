package io.entrabackup.simulator.bench;

/** Placeholder replaced below. */
public final class SimulatorBenchmark {
  private SimulatorBenchmark() {}

  public static void main(String[] args) {
    System.out.println("benchmark not yet written");
  }
}
