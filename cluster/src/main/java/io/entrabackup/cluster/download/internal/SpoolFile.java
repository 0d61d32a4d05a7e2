package io.entrabackup.cluster.download.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A build's spool file on local disk, encrypted as it is written so that no plaintext ever lands there: AES-256-GCM
 * in segments of {@value #SEGMENT} bytes under a random key made for this file and held only in memory (the spool
 * lives for one build, on the node that made it; nothing else ever reads it, so its key is never stored anywhere).
 * Each segment is its length, then nonce-free ciphertext and tag: the nonce is the segment's number, unique under the
 * file's own key, and the AAD marks the last segment, so a truncated file fails to read instead of reading short.
 */
public final class SpoolFile {

  static final int SEGMENT = 64 * 1024;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path path;
  private final SecretKey key;

  private SpoolFile(Path path, SecretKey key) {
    this.path = path;
    this.key = key;
  }

  /** A new, empty spool file in {@code directory} with a fresh key. */
  public static SpoolFile create(Path directory, String prefix) throws IOException {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new SpoolFile(Files.createTempFile(directory, prefix, ".spool"), new SecretKeySpec(key, "AES"));
  }

  public Path path() {
    return path;
  }

  /** The stream that seals what is written to the file; closing it writes the last segment. */
  public OutputStream writer() throws IOException {
    return new SealingStream(new DataOutputStream(Files.newOutputStream(path)));
  }

  /** The file's plaintext, segment by segment (read on the stream's blocking-I/O dispatcher). */
  public Source<ByteString, NotUsed> content() {
    return Source.unfoldResource(
        () -> new Reading(new DataInputStream(new BufferedInputStream(Files.newInputStream(path), SEGMENT + 64))),
        Reading::next,
        Reading::close);
  }

  /** Removes the file (a leftover would be unreadable anyway: its key is gone with the build). */
  public void delete() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // Only ciphertext under a forgotten key remains.
    }
  }

  private Cipher cipher(int mode, long segment, boolean last) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(segment).array();
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(new byte[] {(byte) (last ? 1 : 0)});
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available for the spool", e);
    }
  }

  private final class SealingStream extends OutputStream {
    private final DataOutputStream out;
    private final byte[] buffer = new byte[SEGMENT];
    private int filled;
    private long segment;
    private boolean closed;

    SealingStream(DataOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (filled == SEGMENT) {
        flushSegment(false);
      }
      buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        if (filled == SEGMENT) {
          flushSegment(false);
        }
        int n = Math.min(length, SEGMENT - filled);
        System.arraycopy(bytes, offset, buffer, filled, n);
        filled += n;
        offset += n;
        length -= n;
      }
    }

    private void flushSegment(boolean last) throws IOException {
      byte[] sealed;
      try {
        sealed = cipher(Cipher.ENCRYPT_MODE, segment++, last).doFinal(buffer, 0, filled);
      } catch (GeneralSecurityException e) {
        throw new IOException("a spool segment could not be sealed", e);
      }
      out.writeInt(sealed.length);
      out.write(sealed);
      filled = 0;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        flushSegment(true);
      } finally {
        out.close();
      }
    }
  }

  private final class Reading {
    private final DataInputStream data;
    private long segment;
    private boolean ended;

    Reading(DataInputStream data) {
      this.data = data;
    }

    Optional<ByteString> next() throws IOException {
      if (ended) {
        return Optional.empty();
      }
      int length;
      try {
        length = data.readInt();
      } catch (EOFException e) {
        throw new IOException("the spool file ends before its last segment");
      }
      byte[] sealed = new byte[length];
      data.readFully(sealed);
      boolean last = peekEnd();
      try {
        byte[] plain = cipher(Cipher.DECRYPT_MODE, segment++, last).doFinal(sealed);
        ended = last;
        return Optional.of(ByteString.fromArrayUnsafe(plain));
      } catch (GeneralSecurityException e) {
        throw new IOException("a spool segment does not authenticate (altered or truncated)", e);
      }
    }

    private boolean peekEnd() throws IOException {
      data.mark(1);
      int next = data.read();
      if (next < 0) {
        return true;
      }
      data.reset();
      return false;
    }

    void close() throws IOException {
      data.close();
    }
  }
}
