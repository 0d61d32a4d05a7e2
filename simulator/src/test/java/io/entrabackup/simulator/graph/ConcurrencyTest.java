package io.entrabackup.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void parallelCrawlsAndWritesNeverFailAndEveryCrawlSeesEveryUser() throws Exception {
    try (SimulatorFixture f = new SimulatorFixture(b -> b.users(3000).groups(20).throttleEnabled(false))) {
      f.token();
      List<String> cloud = new ArrayList<>();
      for (JsonNode u : f.getJson("/users?$top=999&$select=id,onPremisesSyncEnabled,userType").get("value")) {
        if (u.get("onPremisesSyncEnabled").isNull() && u.get("userType").asText().equals("Member") && cloud.size() < 100) {
          cloud.add(u.get("id").asText());
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(5);
      try {
        List<Future<Set<String>>> crawls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          crawls.add(pool.submit(() -> {
            Set<String> ids = new HashSet<>();
            SimulatorFixture.items(f.crawl("/users/delta?$select=displayName,jobTitle", "Prefer", "odata.maxpagesize=100"))
                .forEach(u -> ids.add(u.get("id").asText()));
            return ids;
          }));
        }
        Future<Integer> writer = pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 200; i++) {
            ok += f.write("PATCH", "/users/" + cloud.get(i % cloud.size()), Map.of("jobTitle", "Title " + i)).statusCode() == 204 ? 1 : 0;
          }
          return ok;
        });
        assertEquals(200, writer.get(60, TimeUnit.SECONDS));
        for (Future<Set<String>> c : crawls) {
          assertTrue(c.get(60, TimeUnit.SECONDS).size() == 3000);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
