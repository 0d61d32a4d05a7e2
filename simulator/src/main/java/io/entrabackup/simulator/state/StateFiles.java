package io.entrabackup.simulator.state;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files of a kept state: readable by their owner only (they hold app secrets), replaced whole when rewritten. */
final class StateFiles {
  private StateFiles() {}

  /** Creates an empty file only its owner can read and write (where the file system has POSIX permissions). */
  static void createPrivate(Path path) throws IOException {
    if (Files.getFileStore(path.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(path);
    }
  }

  /**
   * Replaces the file's content in one step: written to a file beside it, then renamed over it, so a reader (or the
   * next start after a crash) sees the old content or the new, never half of one.
   */
  static void writeAtomically(Path path, byte[] content) throws IOException {
    Path temp = path.resolveSibling(path.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    createPrivate(temp);
    Files.write(temp, content);
    try {
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
