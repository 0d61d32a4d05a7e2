package io.entrabackup.cluster.backup;

import java.util.HashSet;
import java.util.Set;

/**
 * The ids one round has seen, compact: a full round of a 1,000,000-user tenant must remember every id (to tombstone
 * the objects Graph no longer returns) inside a small heap. A lower-case GUID (what Graph's ids are) costs 16 bytes in
 * an open-addressing table (~27 bytes with its free slots) instead of ~115 as a String in a hash set; any other id is
 * kept as a String. Thread-safe: a page's objects are stored in parallel.
 */
final class SeenIds {

  private static final int GUID_LENGTH = 36;
  private static final double MAX_LOAD = 0.6;

  /** Pairs (high, low) of 64 bits; a slot is free when its {@link #used} bit is clear. */
  private long[] slots = new long[2 * 1024];
  private boolean[] used = new boolean[1024];
  private int guids;
  private final Set<String> others = new HashSet<>();

  /** Adds an id; answers whether it was new. */
  synchronized boolean add(String id) {
    long[] guid = parse(id);
    if (guid == null) {
      return others.add(id);
    }
    if (guids + 1 > used.length * MAX_LOAD) {
      grow();
    }
    int slot = find(slots, used, guid[0], guid[1]);
    if (used[slot]) {
      return false;
    }
    place(slot, guid[0], guid[1]);
    return true;
  }

  synchronized boolean contains(String id) {
    long[] guid = parse(id);
    return guid == null ? others.contains(id) : used[find(slots, used, guid[0], guid[1])];
  }

  synchronized int size() {
    return guids + others.size();
  }

  private void place(int slot, long high, long low) {
    used[slot] = true;
    slots[2 * slot] = high;
    slots[2 * slot + 1] = low;
    guids++;
  }

  /** The slot holding (high, low), or the free slot where it would go (linear probing). */
  private static int find(long[] slots, boolean[] used, long high, long low) {
    int mask = used.length - 1;
    int slot = (int) mix(high ^ low) & mask;
    while (used[slot] && (slots[2 * slot] != high || slots[2 * slot + 1] != low)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldSlots = slots;
    boolean[] oldUsed = used;
    slots = new long[oldSlots.length * 2];
    used = new boolean[oldUsed.length * 2];
    guids = 0;
    for (int i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) {
        long high = oldSlots[2 * i];
        long low = oldSlots[2 * i + 1];
        place(find(slots, used, high, low), high, low);
      }
    }
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** The 128 bits of a lower-case GUID (8-4-4-4-12 hex digits), or null for any other text. */
  static long[] parse(String id) {
    if (id.length() != GUID_LENGTH) {
      return null;
    }
    long high = 0;
    long low = 0;
    int digits = 0;
    for (int i = 0; i < GUID_LENGTH; i++) {
      char c = id.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
        continue;
      }
      int value = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (value < 0) {
        return null;
      }
      if (digits < 16) {
        high = (high << 4) | value;
      } else {
        low = (low << 4) | value;
      }
      digits++;
    }
    return new long[] {high, low};
  }
}
