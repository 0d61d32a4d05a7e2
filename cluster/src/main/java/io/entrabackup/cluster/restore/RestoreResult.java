package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.restore.SkippedItem;
import java.util.List;
import java.util.Optional;

/**
 * What a restore did: its action, the writes that changed the directory, what it skipped, and the new id of a
 * recreated object.
 */
record RestoreResult(RestoreAction action, long changes, List<SkippedItem> skipped, Optional<String> newObjectId) {}
