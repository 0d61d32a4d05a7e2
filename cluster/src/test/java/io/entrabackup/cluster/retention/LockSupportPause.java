package io.entrabackup.cluster.retention;

import java.util.concurrent.locks.LockSupport;

/** A short pause between two reads of a pass's row while waiting for its end (it runs in the background). */
final class LockSupportPause {

  private LockSupportPause() {}

  static void pause() {
    LockSupport.parkNanos(50_000_000L);
  }
}
