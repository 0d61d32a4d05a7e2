package io.entrabackup.simulator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory's changes as a file of JSON lines, appended as they happen and read back in order at the next start.
 * Each line is handed to the operating system as soon as it is written, so a simulator that is killed loses nothing
 * it answered; a line cut short (the machine stopped mid-write) ends the journal: it is dropped with a warning.
 */
final class ChangeJournal implements AutoCloseable {
  static final String FILE = "simulator-changes.jsonl";
  private static final Logger LOG = LoggerFactory.getLogger(ChangeJournal.class);

  private final Path path;
  private final ObjectMapper mapper;
  private Writer writer;
  private boolean failed;

  ChangeJournal(Path path, ObjectMapper mapper) {
    this.path = path;
    this.mapper = mapper;
  }

  Path path() {
    return path;
  }

  /** The entries in the file, in order; a trailing part that cannot be read is cut off the file (and logged). */
  List<JournalEntry> read() throws IOException {
    List<JournalEntry> entries = new ArrayList<>();
    if (!Files.exists(path)) {
      return entries;
    }
    byte[] bytes = Files.readAllBytes(path);
    int start = 0;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      JournalEntry entry = end < 0 ? null : parse(bytes, start, end);
      if (entry == null) {
        LOG.warn("{}: the journal cannot be read after byte {} ({} bytes dropped); the changes before it are kept",
            path, start, bytes.length - start);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
          channel.truncate(start);
        }
        break;
      }
      entries.add(entry);
      start = end + 1;
    }
    return entries;
  }

  private JournalEntry parse(byte[] bytes, int from, int to) {
    try {
      return mapper.readValue(new String(bytes, from, to - from, StandardCharsets.UTF_8), JournalEntry.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Starts the file over with only this entry (a new directory). */
  synchronized void restart(JournalEntry.Generated first) throws IOException {
    closeWriter();
    Files.deleteIfExists(path);
    StateFiles.createPrivate(path);
    append(first);
  }

  /**
   * Appends an entry. Called while a tenant's lock is held, so it must not fail the write it records: an I/O error is
   * logged (once) and the simulator goes on in memory.
   */
  synchronized void append(JournalEntry entry) {
    try {
      if (writer == null) {
        writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      writer.write(mapper.writeValueAsString(entry));
      writer.write('\n');
      writer.flush();
    } catch (IOException | UncheckedIOException e) {
      if (!failed) {
        failed = true;
        LOG.error("{}: cannot write the journal; changes from now on are not kept across a restart", path, e);
      }
    }
  }

  private void closeWriter() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closeWriter();
  }
}
