package io.entrabackup.protocol.backup;

/**
 * How far a backup got with one object type.
 *
 * @param type the object type's API name ({@code users}, {@code groups}, ...)
 * @param objects objects read so far; once {@code done}, the exact count the type's milestone recorded
 * @param done the type's snapshots are written (its milestone is in the journal)
 * @param running the backup is reading this type now
 */
public record TypeProgress(String type, long objects, boolean done, boolean running) {}
