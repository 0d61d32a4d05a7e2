package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import java.util.Optional;

/** One type's part of a backup run, once its snapshots are written. */
record TypeResult(ObjectType type, TypeCounts counts, GraphTraffic graph, Optional<String> deltaLink) {}
