package io.entrabackup.protocol.backup;

/** A backed-up object type of a tenant and how many objects of it exist (deleted ones not counted). */
public record TypeSummary(ObjectType type, long count) {}
