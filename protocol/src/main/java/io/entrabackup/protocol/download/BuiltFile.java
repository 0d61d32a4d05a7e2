package io.entrabackup.protocol.download;

import io.entrabackup.protocol.CborSerializable;
import java.util.Map;

/**
 * A download's ZIP once every chunk of it is stored.
 *
 * @param build the attempt that built it: chunks are stored per attempt, so a retried build never
 *     mixes with an interrupted one
 * @param chunkSize bytes per stored chunk (all but the last are full), fixed for this file
 * @param objects JSON files of objects in the ZIP (the manifest not counted)
 */
public record BuiltFile(
    int build, long sizeBytes, String sha256, int chunkSize, long chunks, long objects,
    Map<String, Long> countsByType)
    implements CborSerializable {}
