package io.entrabackup.simulator.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.entrabackup.simulator.directory.TenantEdit;

/** One line of the change journal ({@link ChangeJournal}): what the directory went through, in order. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "entry")
@JsonSubTypes({
    @JsonSubTypes.Type(value = JournalEntry.Generated.class, name = "generated"),
    @JsonSubTypes.Type(value = JournalEntry.TenantAdded.class, name = "tenantAdded"),
    @JsonSubTypes.Type(value = JournalEntry.TenantEdited.class, name = "tenantEdited"),
    @JsonSubTypes.Type(value = JournalEntry.EpochChanged.class, name = "epochChanged")})
sealed interface JournalEntry {

  /**
   * The first line: the directory the journal's edits apply to (the start flags that generate it) and the epoch its
   * links carry. A simulator started with other flags generates another directory and cannot use the journal.
   */
  record Generated(int format, long seed, int tenants, int users, int groups, long epoch) implements JournalEntry {
    static final int FORMAT = 1;

    boolean sameDirectoryAs(Generated other) {
      return format == other.format && seed == other.seed && tenants == other.tenants && users == other.users
          && groups == other.groups;
    }
  }

  /** A tenant generated after the start ({@code POST /_simulator/tenants}): the next tenant of the seed. */
  record TenantAdded(int users, int groups) implements JournalEntry {}

  /** {@code seq}: the tenant's change-log position after the edit, which a replay must reach too. */
  record TenantEdited(int tenant, long seq, TenantEdit edit) implements JournalEntry {}

  /** A replay did not reproduce the change log exactly: links issued before it no longer count, these do. */
  record EpochChanged(long epoch) implements JournalEntry {}
}
