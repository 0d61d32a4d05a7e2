package io.entrabackup.node.layeringfixture.feature.internal;

/** An implementation detail of the fixture's feature package: LayeringTest proves the rule catches its outside use. */
public final class Hidden {
  public static int answer() {
    return 42;
  }
}
