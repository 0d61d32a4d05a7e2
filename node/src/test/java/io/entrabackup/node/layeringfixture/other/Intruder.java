package io.entrabackup.node.layeringfixture.other;

import io.entrabackup.node.layeringfixture.feature.internal.Hidden;

/** Reaches into another package's internals: the rule must refuse it. */
public final class Intruder {
  public static int answer() {
    return Hidden.answer();
  }
}
