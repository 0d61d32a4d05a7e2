package io.entrabackup.node.layeringfixture.feature;

import io.entrabackup.node.layeringfixture.feature.internal.Hidden;

/** Uses its own internal package: allowed. */
public final class Feature {
  public static int answer() {
    return Hidden.answer();
  }
}
