package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.directory.Change;
import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds delta pages. A full round walks the collection by index and returns every live object in its current state;
 * an incremental round folds the change log between two sequence numbers into one entry per changed object and
 * returns only the changed (selected) properties, {@code @removed} for deletions, and member/owner changes.
 * Relations are paged by a link budget, so a big group's members run over several pages and the group repeats.
 */
final class DeltaEngine {
  /** One page: the objects, and either the token of the next page or the final delta token. */
  record Page(List<Map<String, Object>> items, PageToken next, PageToken delta) {}

  /** An object's folded changes within an incremental round. */
  private static final class Folded {
    final int index;
    boolean full;
    final Set<String> props = new LinkedHashSet<>();
    final Map<String, Map<Long, Boolean>> relations = new LinkedHashMap<>();

    Folded(int index) {
      this.index = index;
    }
  }

  private final Map<String, List<Folded>> foldCache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<Folded>> e) {
      return size() > 32;
    }
  };

  Page page(Tenant tenant, Selection.Collection c, Selection sel, PageToken tok, int maxObjects, int maxLinks, long now,
            Quirks quirks, boolean minimal) {
    synchronized (tenant) {
      ObjectSource src = ObjectSource.of(tenant, c);
      int[] only = filter(tenant, c, tok.scope());
      if (only != null && tok.mode() == 'F') {
        src = new ObjectSource.Filtered(src, only);
      }
      if (only != null && tok.mode() != 'F') {
        return incremental(src, c, sel, tok, maxObjects, maxLinks, now, quirks.omitMemberRemovalsOfDeletedUsers(),
            quirks.unchangedPropertiesInRounds() && !minimal, only);
      }
      return tok.mode() == 'F' ? full(src, sel, tok, maxObjects, maxLinks, now, quirks.removedInFullRounds())
          : incremental(src, c, sel, tok, maxObjects, maxLinks, now, quirks.omitMemberRemovalsOfDeletedUsers(),
              quirks.unchangedPropertiesInRounds() && !minimal, null);
    }
  }

  private Page full(ObjectSource src, Selection sel, PageToken tok, int maxObjects, int maxLinks, long now,
                    boolean listRemoved) {
    List<Map<String, Object>> items = new ArrayList<>();
    int pos = tok.pos();
    int phase = tok.phase();
    int offset = tok.offset();
    int links = 0;
    List<String> relations = orderedRelations(sel);
    int size = src.size();
    while (pos < size && items.size() < maxObjects && links < maxLinks) {
      if (!src.live(pos)) {
        if (listRemoved) {
          Map<String, Object> removed = new LinkedHashMap<>();
          removed.put("id", src.id(pos));
          removed.put("@removed", Map.of("reason", src.exists(pos) ? "changed" : "deleted"));
          items.add(removed);
        }
        pos++;
        phase = 0;
        offset = 0;
        continue;
      }
      Map<String, Object> obj = project(src.properties(pos), sel);
      for (int r = phase; r < relations.size(); r++) {
        ObjectSource.Relation rel = src.relation(pos, relations.get(r));
        List<Map<String, Object>> out = new ArrayList<>();
        int n = rel.positions();
        while (offset < n && links < maxLinks) {
          long key = rel.at(offset++);
          if (key >= 0) {
            out.add(link(src.tenant, key, false));
            links++;
          }
        }
        if (!out.isEmpty()) {
          obj.put(relations.get(r) + "@delta", out);
        }
        if (offset < n) {
          items.add(obj);
          return new Page(items, tok.next(pos, r, offset, now), null);
        }
        offset = 0;
      }
      items.add(obj);
      pos++;
      phase = 0;
      offset = 0;
    }
    if (pos >= size) {
      long current = src.tenant.seq();
      if (current > tok.toSeq()) {
        // The directory changed while the round was read: like Graph, the round goes on with those changes, so an
        // object already sent can come again (the last one wins) before the deltaLink.
        return new Page(items, new PageToken(tok.collection(), tok.tenant(), 'I', tok.toSeq(), current, 0, 0, 0, now,
            tok.pageSize(), tok.select(), tok.scope()), null);
      }
      return new Page(items, null, new PageToken(tok.collection(), tok.tenant(), 'I', tok.toSeq(), tok.toSeq(), 0, 0, 0, now,
          tok.pageSize(), tok.select(), tok.scope()));
    }
    return new Page(items, tok.next(pos, 0, 0, now), null);
  }

  private Page incremental(ObjectSource src, Selection.Collection c, Selection sel, PageToken tok, int maxObjects,
                           int maxLinks, long now, boolean omitRemovalsOfDeletedUsers, boolean allSelected, int[] only) {
    List<Folded> folded = fold(src.tenant, c, src.kind(), tok.fromSeq(), tok.toSeq());
    if (only != null) {
      java.util.Set<Integer> wanted = new java.util.HashSet<>();
      for (int i : only) {
        wanted.add(i);
      }
      folded = folded.stream().filter(f -> wanted.contains(f.index)).toList();
    }
    List<Map<String, Object>> items = new ArrayList<>();
    int pos = tok.pos();
    int offset = tok.offset();
    int links = 0;
    while (pos < folded.size() && items.size() < maxObjects && links < maxLinks) {
      Folded f = folded.get(pos);
      Map<String, Object> obj = changedObject(src, sel, f, allSelected);
      List<Map<String, Object>> relationLinks = new ArrayList<>();
      List<String> relationNames = new ArrayList<>();
      if (obj != null && !obj.containsKey("@removed")) {
        for (Map.Entry<String, Map<Long, Boolean>> e : f.relations.entrySet()) {
          if (!sel.relations().contains(e.getKey())) {
            continue;
          }
          for (Map.Entry<Long, Boolean> m : e.getValue().entrySet()) {
            if (omitRemovalsOfDeletedUsers && !m.getValue() && isGoneUser(src.tenant, m.getKey())) {
              continue;
            }
            relationLinks.add(link(src.tenant, m.getKey(), !m.getValue()));
            relationNames.add(e.getKey());
          }
        }
      }
      if (obj == null || (obj.size() == 1 && relationLinks.isEmpty() && !f.full)) {
        pos++;
        offset = 0;
        continue;
      }
      while (offset < relationLinks.size() && links < maxLinks) {
        String name = relationNames.get(offset) + "@delta";
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) obj.computeIfAbsent(name, k -> new ArrayList<>());
        list.add(relationLinks.get(offset++));
        links++;
      }
      items.add(obj);
      if (offset < relationLinks.size()) {
        return new Page(items, tok.next(pos, 0, offset, now), null);
      }
      pos++;
      offset = 0;
    }
    if (pos >= folded.size()) {
      return new Page(items, null, new PageToken(tok.collection(), tok.tenant(), 'I', tok.toSeq(), tok.toSeq(), 0, 0, 0, now,
          tok.pageSize(), tok.select(), tok.scope()));
    }
    return new Page(items, tok.next(pos, 0, 0, now), null);
  }

  /** The object as an incremental round reports it, or null when nothing selected changed. */
  private static Map<String, Object> changedObject(ObjectSource src, Selection sel, Folded f, boolean allSelected) {
    Map<String, Object> obj = new LinkedHashMap<>();
    if (!src.exists(f.index)) {
      obj.put("id", src.id(f.index));
      obj.put("@removed", Map.of("reason", "deleted"));
      return obj;
    }
    if (!src.live(f.index)) {
      obj.put("id", src.id(f.index));
      obj.put("@removed", Map.of("reason", "changed"));
      return obj;
    }
    Map<String, Object> current = src.properties(f.index);
    boolean selectedChanged = sel.properties().stream().anyMatch(f.props::contains);
    if (f.full || (allSelected && selectedChanged)) {
      return project(current, sel);
    }
    for (String p : sel.properties()) {
      if (f.props.contains(p)) {
        obj.put(p, current.get(p));
      }
    }
    obj.put("id", current.get("id"));
    return obj;
  }

  private List<Folded> fold(Tenant tenant, Selection.Collection c, ObjectKind kind, long from, long to) {
    String key = tenant.id() + "|" + c + "|" + from + "|" + to;
    synchronized (foldCache) {
      List<Folded> cached = foldCache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Map<Integer, Folded> byIndex = new LinkedHashMap<>();
    for (Change ch : tenant.changes(from, to)) {
      if (ch.kind() != kind) {
        continue;
      }
      Folded f = byIndex.computeIfAbsent(ch.index(), Folded::new);
      switch (ch.type()) {
        case CREATED, RESTORED -> f.full = true;
        case UPDATED -> f.props.addAll(ch.props());
        case MEMBER_ADDED, MEMBER_REMOVED -> f.relations.computeIfAbsent(ch.relation(), r -> new LinkedHashMap<>())
            .put(ch.memberKey(), ch.type() == Change.Type.MEMBER_ADDED);
        default -> { }
      }
    }
    List<Folded> out = new ArrayList<>(byIndex.values());
    synchronized (foldCache) {
      foldCache.put(key, out);
    }
    return out;
  }

  /** The object indices a {@code $filter=id eq ...} scope names (unknown ids dropped), or null when unfiltered. */
  private static int[] filter(Tenant tenant, Selection.Collection c, String scope) {
    if (scope == null || scope.isEmpty()) {
      return null;
    }
    return java.util.Arrays.stream(scope.split(",")).mapToInt(id -> GraphRoutes.resolveIndex(tenant, c, id))
        .filter(i -> i >= 0).toArray();
  }

  private static boolean isGoneUser(Tenant tenant, long key) {
    return Membership.kindOf(key) == ObjectKind.USER && !tenant.exists(ObjectKind.USER, Membership.indexOf(key));
  }

  private static List<String> orderedRelations(Selection sel) {
    List<String> r = new ArrayList<>();
    if (sel.relations().contains("members")) {
      r.add("members");
    }
    if (sel.relations().contains("owners")) {
      r.add("owners");
    }
    if (sel.relations().contains("manager")) {
      r.add("manager");
    }
    return r;
  }

  static Map<String, Object> project(Map<String, Object> all, Selection sel) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String p : sel.properties()) {
      out.put(p, all.get(p));
    }
    return out;
  }

  static Map<String, Object> link(Tenant tenant, long key, boolean removed) {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("@odata.type", Membership.kindOf(key).odataType());
    l.put("id", tenant.objectId(key));
    if (removed) {
      l.put("@removed", Map.of("reason", "deleted"));
    }
    return l;
  }
}
