package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.References;
import io.entrabackup.cluster.snapshot.StoredVersion;
import io.entrabackup.protocol.backup.ObjectType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a version row (of {@code snapshot_versions} or {@code snapshot_latest}: the same columns) as a {@link StoredVersion}. */
public final class VersionRows {

  // Identifiers made once: reading a column by a String name parses the name on every call, which showed up in
  // profiles of downloads (a row per object) at about a tenth of the CPU.
  private static final CqlIdentifier VERSION_ID = CqlIdentifier.fromInternal("version_id");
  private static final CqlIdentifier RUN_ID = CqlIdentifier.fromInternal("run_id");
  private static final CqlIdentifier CAPTURED_AT = CqlIdentifier.fromInternal("captured_at");
  private static final CqlIdentifier CONTENT_HASH = CqlIdentifier.fromInternal("content_hash");
  private static final CqlIdentifier REMOVED = CqlIdentifier.fromInternal("removed");
  private static final CqlIdentifier DISPLAY_NAME = CqlIdentifier.fromInternal("display_name");
  private static final CqlIdentifier STATE_DEFLATED = CqlIdentifier.fromInternal("state_deflated");
  private static final CqlIdentifier STATE_CRC32 = CqlIdentifier.fromInternal("state_crc32");
  private static final CqlIdentifier STATE_LENGTH = CqlIdentifier.fromInternal("state_length");
  /** Per relation: its chunk list column and its count column. */
  private static final Map<String, CqlIdentifier[]> REFERENCE_COLUMNS = Map.of(
      "members", new CqlIdentifier[] {CqlIdentifier.fromInternal("members"), CqlIdentifier.fromInternal("members_count")},
      "owners", new CqlIdentifier[] {CqlIdentifier.fromInternal("owners"), CqlIdentifier.fromInternal("owners_count")});

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
    return new StoredVersion(type, objectId, row.getUuid(VERSION_ID).toString(), row.getString(RUN_ID),
        row.getInstant(CAPTURED_AT), row.getString(CONTENT_HASH), Optional.ofNullable(row.getString(REMOVED)),
        row.getString(DISPLAY_NAME), packedState(row), references);
  }

  private static PackedState packedState(Row row) {
    ByteBuffer deflated = row.getByteBuffer(STATE_DEFLATED);
    byte[] bytes = new byte[deflated.remaining()];
    deflated.get(bytes);
    return new PackedState(bytes, row.getInt(STATE_CRC32), row.getInt(STATE_LENGTH));
  }

  /** A relation's chunk ids; its count column tells a relation the state has (maybe empty) from one it has not. */
  private static Optional<List<String>> chunksOf(Row row, String relation) {
    CqlIdentifier[] columns = REFERENCE_COLUMNS.get(relation);
    return row.isNull(columns[1]) ? Optional.empty() : Optional.of(row.getList(columns[0], String.class));
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
