package io.entrabackup.cluster.snapshot;

/**
 * Where an object's kept history starts after retention pruned its oldest versions: the newest pruned version and its
 * chain hash, recorded (static columns of the object's {@code snapshot_versions} partition) before the rows went.
 */
public record Horizon(String versionId, String chainHash) {}
