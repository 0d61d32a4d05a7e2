package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.References;
import io.entrabackup.cluster.snapshot.StoredVersion;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a version row (of {@code snapshot_versions} or {@code snapshot_latest}: the same columns) as a {@link StoredVersion}. */
public final class VersionRows {

  private VersionRows() {}

  /** The chunk ids the row lists, members first, then owners; empty when it has neither. */
  public static List<String> chunkIds(Row row) {
    List<String> ids = new ArrayList<>();
    for (String relation : References.PROPERTIES) {
      chunksOf(row, relation).ifPresent(ids::addAll);
    }
    return ids;
  }

  /** @param refsById the JSON array text of every chunk the row lists */
  public static StoredVersion stored(ObjectType type, String objectId, Row row, Map<String, String> refsById) {
    Map<String, List<String>> references = new LinkedHashMap<>();
    for (String relation : References.PROPERTIES) {
      chunksOf(row, relation).ifPresent(chunkIds -> references.put(relation, texts(chunkIds, refsById)));
    }
    return new StoredVersion(type, objectId, row.getUuid("version_id").toString(), row.getString("run_id"),
        row.getInstant("captured_at"), row.getString("content_hash"), Optional.ofNullable(row.getString("removed")),
        row.getString("display_name"), packedState(row), references);
  }

  private static PackedState packedState(Row row) {
    java.nio.ByteBuffer deflated = row.getByteBuffer("state_deflated");
    byte[] bytes = new byte[deflated.remaining()];
    deflated.get(bytes);
    return new PackedState(bytes, row.getInt("state_crc32"), row.getInt("state_length"));
  }

  /** A relation's chunk ids; its count column tells a relation the state has (maybe empty) from one it has not. */
  private static Optional<List<String>> chunksOf(Row row, String relation) {
    return row.isNull(relation + "_count") ? Optional.empty() : Optional.of(row.getList(relation, String.class));
  }

  private static List<String> texts(List<String> chunkIds, Map<String, String> refsById) {
    List<String> texts = new ArrayList<>(chunkIds.size());
    for (String chunkId : chunkIds) {
      String refs = refsById.get(chunkId);
      if (refs == null) {
        throw new IllegalStateException("membership chunk " + chunkId + " is missing: the snapshot store is damaged");
      }
      texts.add(refs);
    }
    return texts;
  }
}
