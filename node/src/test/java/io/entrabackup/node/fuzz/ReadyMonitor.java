package io.entrabackup.node.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Asks the node's {@code /health/ready} every few hundred milliseconds while the run lasts; keeps every miss. */
public final class ReadyMonitor implements AutoCloseable {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI ready;
  private final AtomicInteger polls = new AtomicInteger();
  private final List<String> misses = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public ReadyMonitor(int port) {
    this.ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    this.thread = new Thread(this::poll, "ready-monitor");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    while (running) {
      polls.incrementAndGet();
      try {
        var response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          misses.add(response.statusCode() + " " + response.body());
        }
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        misses.add(e.toString());
      }
    }
  }

  public int polls() {
    return polls.get();
  }

  public List<String> misses() {
    return List.copyOf(misses);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
  }
}
