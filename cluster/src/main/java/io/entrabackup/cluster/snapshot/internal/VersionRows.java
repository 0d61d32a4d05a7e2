package io.entrabackup.cluster.snapshot.internal;

import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.INT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TEXT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMESTAMP;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMEUUID;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.entrabackup.cluster.crypto.TenantCipher;
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
import java.util.stream.Collectors;

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
  private static final CqlIdentifier STATE_LENGTH = CqlIdentifier.fromInternal("state_length");
  /** A relation's columns: its chunk ids, its reference count, and its chunk texts when the row keeps them. */
  private record RelationColumns(CqlIdentifier chunkIds, CqlIdentifier count, CqlIdentifier inline) {
    static RelationColumns of(String relation) {
      return new RelationColumns(CqlIdentifier.fromInternal(relation), CqlIdentifier.fromInternal(relation + "_count"),
          CqlIdentifier.fromInternal(relation + "_inline"));
    }
  }

  private static final Map<String, RelationColumns> REFERENCE_COLUMNS = References.PROPERTIES.stream()
      .collect(Collectors.toUnmodifiableMap(relation -> relation, RelationColumns::of));

  /** The codec of the chunk id lists, named once as the others (see {@link VersionStatements#batch}). */
  public static final TypeCodec<List<String>> TEXT_LIST = TypeCodecs.listOf(TypeCodecs.TEXT);

  private VersionRows() {}

  /** The ids of the chunk rows the row needs, members first, then owners; empty when its sets are inline or none. */
  public static List<String> chunkIds(Row row) {
    List<String> ids = new ArrayList<>();
    for (String relation : References.PROPERTIES) {
      // Only whether the texts are there: stored() decodes them, once.
      if (row.isNull(REFERENCE_COLUMNS.get(relation).inline())) {
        chunksOf(row, relation).ifPresent(ids::addAll);
      }
    }
    return ids;
  }

  /**
   * @param cipher the tenant's, which opens the row's sealed columns ({@link SealedColumns})
   * @param refsById the JSON array text of every chunk {@link #chunkIds} lists, opened
   */
  public static StoredVersion stored(TenantCipher cipher, ObjectType type, String objectId, Row row,
      Map<String, String> refsById) {
    String versionId = row.get(VERSION_ID, TIMEUUID).toString();
    Map<String, List<String>> references = new LinkedHashMap<>();
    for (String relation : References.PROPERTIES) {
      List<String> inline = inlineOf(row, relation);
      chunksOf(row, relation).ifPresent(chunkIds -> references.put(relation, inline != null
          ? SealedColumns.openInline(cipher, inline, relation, type, objectId, versionId)
          : texts(chunkIds, refsById)));
    }
    return new StoredVersion(type, objectId, versionId, row.get(RUN_ID, TEXT),
        row.get(CAPTURED_AT, TIMESTAMP), row.get(CONTENT_HASH, TEXT), Optional.ofNullable(row.get(REMOVED, TEXT)),
        SealedColumns.openDisplayName(cipher, row.get(DISPLAY_NAME, TEXT), type, objectId, versionId),
        packedState(cipher, row, type, objectId, versionId), references);
  }

  private static PackedState packedState(TenantCipher cipher, Row row, ObjectType type, String objectId,
      String versionId) {
    ByteBuffer sealed = row.getBytesUnsafe(STATE_DEFLATED).duplicate();
    byte[] bytes = new byte[sealed.remaining()];
    sealed.get(bytes);
    return SealedColumns.openState(cipher, bytes, row.get(STATE_LENGTH, INT), type, objectId, versionId);
  }

  /** A relation's chunk ids; its count column tells a relation the state has (maybe empty) from one it has not. */
  private static Optional<List<String>> chunksOf(Row row, String relation) {
    RelationColumns columns = REFERENCE_COLUMNS.get(relation);
    if (row.isNull(columns.count())) {
      return Optional.empty();
    }
    List<String> chunkIds = row.get(columns.chunkIds(), TEXT_LIST);
    return Optional.of(chunkIds == null ? List.of() : chunkIds);
  }

  /** A set's chunk texts when the row keeps them itself, else null. */
  private static List<String> inlineOf(Row row, String relation) {
    CqlIdentifier column = REFERENCE_COLUMNS.get(relation).inline();
    // isNull first: the list codec decodes a missing value as an empty list, which an empty inline set also is.
    return row.isNull(column) ? null : row.get(column, TEXT_LIST);
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
