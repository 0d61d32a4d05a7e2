package io.entrabackup.cluster.graph.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GraphRequestPermitsTest {

  @Test
  void permitsPassInOrderAndComeBack() {
    GraphRequestPermits permits = new GraphRequestPermits(2);
    var one = permits.acquire().toCompletableFuture();
    var two = permits.acquire().toCompletableFuture();
    var three = permits.acquire().toCompletableFuture();
    var four = permits.acquire().toCompletableFuture();
    assertTrue(one.isDone() && two.isDone());
    assertFalse(three.isDone() || four.isDone());
    permits.release();
    assertTrue(three.isDone());
    assertFalse(four.isDone());
    permits.release();
    permits.release();
    permits.release();
    assertTrue(four.isDone());
    assertEquals(0, permits.inUse());
  }
}
