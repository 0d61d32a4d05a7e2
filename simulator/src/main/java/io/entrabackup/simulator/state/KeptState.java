package io.entrabackup.simulator.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.directory.Directory;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.directory.TenantEdit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulator state kept in the state directory across restarts ({@code --keep-state}), as Microsoft's cloud keeps a
 * tenant's consents and objects whatever happens to the machines serving it.
 *
 * <p>The directory is generated from the seed at every start, so only what happened to it since is kept: every edit
 * of a tenant, appended to a journal ({@link ChangeJournal}) and applied again, in order, at the next start. Replaying
 * edits (rather than saving the objects) gives back the same change log, seq for seq, so the delta and skip links the
 * earlier run handed out keep working (each replayed edit is checked to reach the seq it reached then; if one does
 * not, the links of the earlier run are refused with {@code syncStateNotFound}, as a service-side reset would be).
 * App registrations, consents, the apps' directory roles and the clock offset have no history to replay: they are
 * saved whole ({@link RegistrySnapshot}) after every change.
 *
 * <p>One simulator at a time keeps its state in a directory: a second one finds it locked and does not start.
 */
public final class KeptState implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeptState.class);
  static final String LOCK = "simulator-state.lock";

  private final Path dir;
  private final ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final ChangeJournal journal;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private Services services;

  private KeptState(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.journal = new ChangeJournal(dir.resolve(ChangeJournal.FILE), mapper);
  }

  /** Takes the state directory for this simulator; fails when another simulator keeps its state there. */
  public static KeptState open(Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("Another simulator keeps its state in " + dir.toAbsolutePath()
            + "; stop it first or give this one another --state-dir");
      }
      return new KeptState(dir, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the simulator state in " + dir.toAbsolutePath(), e);
    }
  }

  /**
   * Applies what the earlier runs left: registrations, consents and clock, then the journal's tenants and edits (when
   * it was written for the directory these start flags generate; otherwise it is set aside and a new one begun).
   * Call after the configured tenants were generated and before the configured apps are registered (the start flags
   * win over what was kept).
   */
  public void restore(Services services, SimulatorConfig config) {
    try {
      Path registry = dir.resolve(RegistrySnapshot.FILE);
      if (Files.exists(registry)) {
        mapper.readValue(registry.toFile(), RegistrySnapshot.class).restoreInto(services.apps(), services.clock());
      }
      JournalEntry.Generated wanted = new JournalEntry.Generated(JournalEntry.Generated.FORMAT, config.seed(),
          config.tenants(), config.users(), config.groups(), services.epoch());
      List<JournalEntry> entries = journal.read();
      if (!entries.isEmpty() && entries.get(0) instanceof JournalEntry.Generated kept && kept.sameDirectoryAs(wanted)) {
        replay(services, entries);
      } else {
        if (!entries.isEmpty()) {
          Path aside = journal.path().resolveSibling(ChangeJournal.FILE + ".set-aside");
          Files.move(journal.path(), aside, StandardCopyOption.REPLACE_EXISTING);
          LOG.warn("{} was written for another directory (other --seed, --tenants, --users or --groups): set aside"
              + " as {}; starting from the generated directory", journal.path(), aside.getFileName());
        }
        journal.restart(wanted);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the simulator state in " + dir.toAbsolutePath(), e);
    }
  }

  private void replay(Services services, List<JournalEntry> entries) {
    Directory directory = services.directory();
    long epoch = ((JournalEntry.Generated) entries.get(0)).epoch();
    // The first edit since the latest epoch that did not reach its seq again (a mismatch before an epoch change was
    // found by an earlier start, which reset the links then; the replay repeats it the same way every time).
    String mismatch = null;
    int edits = 0;
    for (JournalEntry entry : entries.subList(1, entries.size())) {
      if (entry instanceof JournalEntry.TenantAdded added) {
        directory.createTenant(added.users(), added.groups());
      } else if (entry instanceof JournalEntry.TenantEdited edited) {
        Tenant tenant = directory.tenants().get(edited.tenant());
        tenant.replay(edited.edit());
        edits++;
        if (mismatch == null && tenant.seq() != edited.seq()) {
          mismatch = "tenant " + tenant.domain() + " reached change " + tenant.seq() + " where the journal says " + edited.seq();
        }
      } else if (entry instanceof JournalEntry.EpochChanged changed) {
        epoch = changed.epoch();
        mismatch = null;
      }
    }
    if (mismatch == null) {
      services.continueEpoch(epoch);
    } else {
      LOG.warn("Replaying {}: {}; links issued before this start will answer syncStateNotFound", journal.path(), mismatch);
      journal.append(new JournalEntry.EpochChanged(services.epoch()));
    }
    LOG.info("Kept state: {} tenant edit(s) replayed from {}", edits, journal.path());
  }

  /** From now on, journals every tenant edit and saves registrations, consents and the clock after every change. */
  public void keep(Services services) {
    this.services = services;
    TenantEdit.Sink sink = (tenant, seq, edit) -> journal.append(new JournalEntry.TenantEdited(tenant.number(), seq, edit));
    services.directory().tenants().forEach(t -> t.reportEditsTo(sink));
    services.directory().reportTenantsTo(t -> {
      journal.append(new JournalEntry.TenantAdded(t.generatedUserCount(), t.generatedGroupCount()));
      t.reportEditsTo(sink);
    });
    services.apps().reportChangesTo(this::saveRegistry);
    services.clock().reportChangesTo(this::saveRegistry);
    saveRegistry();
  }

  private synchronized void saveRegistry() {
    try {
      StateFiles.writeAtomically(dir.resolve(RegistrySnapshot.FILE),
          mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(RegistrySnapshot.of(services.apps(), services.clock())));
    } catch (IOException e) {
      LOG.error("Cannot save {} in {}; the latest consents and registrations are not kept across a restart",
          RegistrySnapshot.FILE, dir, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (services != null) {
        saveRegistry();
      }
      journal.close();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("Closing the simulator state in {}", dir, e);
    }
  }
}
