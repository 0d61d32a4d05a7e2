package io.entrabackup.protocol.restore;

/** Body of a restore plan or restore request: which snapshot (version) of the object to go back to. */
public record RestoreRequest(String version) {}
