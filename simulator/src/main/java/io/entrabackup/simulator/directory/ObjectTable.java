package io.entrabackup.simulator.directory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Users or groups of one tenant: generated objects (computed on demand) followed by objects created through Graph,
 * with property overrides and deletion state kept only for objects that changed. Not thread-safe: the tenant locks.
 */
final class ObjectTable {
  private final int generatedCount;
  private final IntFunction<Map<String, Object>> generator;
  private final List<Map<String, Object>> created = new ArrayList<>();
  private final Map<Integer, Map<String, Object>> overrides = new HashMap<>();
  private final Map<Integer, Long> softDeleted = new LinkedHashMap<>();
  private final BitSet hardDeleted = new BitSet();

  ObjectTable(int generatedCount, IntFunction<Map<String, Object>> generator) {
    this.generatedCount = generatedCount;
    this.generator = generator;
  }

  int size() {
    return generatedCount + created.size();
  }

  int generatedCount() {
    return generatedCount;
  }

  boolean exists(int index) {
    return index >= 0 && index < size() && !hardDeleted.get(index);
  }

  boolean isLive(int index) {
    return exists(index) && !softDeleted.containsKey(index);
  }

  boolean isSoftDeleted(int index) {
    return exists(index) && softDeleted.containsKey(index);
  }

  Long deletedAt(int index) {
    return softDeleted.get(index);
  }

  Map<Integer, Long> softDeleted() {
    return softDeleted;
  }

  /** A fresh, mutable copy of the object's current properties (all of them). */
  Map<String, Object> properties(int index) {
    Map<String, Object> p;
    if (index < generatedCount) {
      p = generator.apply(index);
    } else {
      p = new LinkedHashMap<>(created.get(index - generatedCount));
    }
    Map<String, Object> o = overrides.get(index);
    if (o != null) {
      p.putAll(o);
    }
    return p;
  }

  /** One property's current value (avoids building the whole map when the object has an override for it). */
  Object property(int index, String name) {
    Map<String, Object> o = overrides.get(index);
    if (o != null && o.containsKey(name)) {
      return o.get(name);
    }
    return properties(index).get(name);
  }

  boolean hasOverrides(int index) {
    return overrides.containsKey(index);
  }

  Map<Integer, Map<String, Object>> overrides() {
    return overrides;
  }

  int create(Map<String, Object> props) {
    created.add(new LinkedHashMap<>(props));
    return size() - 1;
  }

  void override(int index, String name, Object value) {
    overrides.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(name, value);
  }

  void softDelete(int index, long at) {
    softDeleted.put(index, at);
  }

  void restore(int index) {
    softDeleted.remove(index);
  }

  void hardDelete(int index) {
    softDeleted.remove(index);
    overrides.remove(index);
    hardDeleted.set(index);
    if (index >= generatedCount) {
      // Keep only the id: a delta round still has to report the object as removed.
      created.set(index - generatedCount, Map.of("id", created.get(index - generatedCount).get("id")));
    }
  }

  int hardDeletedCount() {
    return hardDeleted.cardinality();
  }
}
