package io.entrabackup.simulator.directory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One relation (members or owners) of one group, stored compactly: a generated base (a range of user indices modulo
 * the generated user count, plus explicit users and nested groups) with removals and additions on top. Positions are
 * stable so paging through a 100,000-member group can resume from an offset.
 */
public final class Membership {
  private final int userCount;
  private final int rangeStart;
  private final int rangeCount;
  private final int[] users;
  private final int[] groups;
  private Set<Long> removed;
  private List<Long> added;
  private Set<Long> addedSet;

  public Membership(int userCount, int rangeStart, int rangeCount, int[] users, int[] groups) {
    this.userCount = userCount;
    this.rangeStart = rangeStart;
    this.rangeCount = rangeCount;
    this.users = users;
    this.groups = groups;
  }

  public static Membership empty() {
    return new Membership(1, 0, 0, new int[0], new int[0]);
  }

  public static long key(ObjectKind kind, int index) {
    return ((long) kind.tag() << 32) | (index & 0xffffffffL);
  }

  public static ObjectKind kindOf(long key) {
    return ObjectKind.fromTag((int) (key >>> 32));
  }

  public static int indexOf(long key) {
    return (int) key;
  }

  /** Number of positions (including removed ones, which read as -1). */
  public int positions() {
    return rangeCount + users.length + groups.length + (added == null ? 0 : added.size());
  }

  /** The member key at a position, or -1 when that member was removed. */
  public long at(int pos) {
    long key;
    if (pos < rangeCount) {
      key = key(ObjectKind.USER, (rangeStart + pos) % userCount);
    } else if (pos < rangeCount + users.length) {
      key = key(ObjectKind.USER, users[pos - rangeCount]);
    } else if (pos < rangeCount + users.length + groups.length) {
      key = key(ObjectKind.GROUP, groups[pos - rangeCount - users.length]);
    } else {
      return added.get(pos - rangeCount - users.length - groups.length);
    }
    return removed != null && removed.contains(key) ? -1 : key;
  }

  private boolean inBase(long key) {
    ObjectKind kind = kindOf(key);
    int index = indexOf(key);
    if (kind == ObjectKind.USER) {
      if (rangeCount > 0 && index < userCount && Math.floorMod(index - rangeStart, userCount) < rangeCount) {
        return true;
      }
      for (int u : users) {
        if (u == index) {
          return true;
        }
      }
    } else if (kind == ObjectKind.GROUP) {
      for (int g : groups) {
        if (g == index) {
          return true;
        }
      }
    }
    return false;
  }

  public boolean contains(long key) {
    if (addedSet != null && addedSet.contains(key)) {
      return true;
    }
    return inBase(key) && (removed == null || !removed.contains(key));
  }

  /** Adds a member; false when it already was one. */
  public boolean add(long key) {
    if (contains(key)) {
      return false;
    }
    if (inBase(key)) {
      removed.remove(key);
    } else {
      if (added == null) {
        added = new ArrayList<>();
        addedSet = new HashSet<>();
      }
      added.add(key);
      addedSet.add(key);
    }
    return true;
  }

  /** Removes a member; false when it was not one. */
  public boolean remove(long key) {
    if (!contains(key)) {
      return false;
    }
    if (addedSet != null && addedSet.remove(key)) {
      added.remove(Long.valueOf(key));
    } else {
      if (removed == null) {
        removed = new HashSet<>();
      }
      removed.add(key);
    }
    return true;
  }

  /** Current members, materialised (fine for small relations; big ones are paged with {@link #at}). */
  public List<Long> list() {
    List<Long> out = new ArrayList<>();
    for (int i = 0, n = positions(); i < n; i++) {
      long k = at(i);
      if (k >= 0) {
        out.add(k);
      }
    }
    return out;
  }

  public int count() {
    int n = 0;
    for (int i = 0, p = positions(); i < p; i++) {
      if (at(i) >= 0) {
        n++;
      }
    }
    return n;
  }
}
