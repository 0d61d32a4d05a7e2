package io.entrabackup.protocol;

/**
 * Marks every message, reply, event and persisted state that may cross a process boundary.
 *
 * <p>Bound to Pekko's {@code jackson-cbor} serializer once, in this module's {@code reference.conf},
 * so no application or test repeats the binding and Java serialization is never needed.
 */
public interface CborSerializable {}
