package io.entrabackup.node.fuzz;

import java.util.List;
import java.util.Random;

/** One kind of hostile input: makes the next request of its kind from the run's random source. */
public interface FuzzCategory {

  String name();

  FuzzRequest next(Random random, Targets targets);

  /** Every category, the valid controls among them. */
  static List<FuzzCategory> all() {
    return List.of(new Controls(), new BadIds(), new Cursors(), new JsonBodies(), new OddDates(), new PathTricks(),
        new HeaderAbuse(), new SignedLinks(), new ConsentStates(), new WrongMethods(), new CrossAccount(),
        new RawRequests());
  }
}
