package io.entrabackup.cluster.snapshot.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.snapshot.CanonicalJson;
import io.entrabackup.cluster.snapshot.ReferenceSet.Reference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits a sorted reference set (members or owners) into content-defined chunks: a chunk ends after
 * a reference whose id hashes to 0 modulo {@link #AVERAGE_SIZE}, or at {@link #MAX_SIZE}. Because the
 * boundaries depend on the ids, not on positions, adding or removing one member changes only the
 * chunk holding it; every other chunk keeps its id and is reused by the next version.
 */
public final class ReferenceChunks {

  /** Expected references per chunk (a boundary is a 1 in AVERAGE_SIZE event per reference). */
  static final int AVERAGE_SIZE = 400;
  /** Hard limit of references per chunk row (about 70 KB of JSON). */
  public static final int MAX_SIZE = 1000;

  /** One chunk: its content-derived id and its JSON text (a canonical array of references) in UTF-8. */
  public record Chunk(String id, byte[] json, int size) {}

  private ReferenceChunks() {}

  /**
   * The chunks of {@code references} (in id order), made one at a time as the iterator is advanced, so a set of a
   * million references never has more than one chunk's JSON in memory.
   */
  public static Iterator<Chunk> split(Iterator<Reference> references, TenantCipher cipher) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return references.hasNext();
      }

      @Override
      public Chunk next() {
        if (!references.hasNext()) {
          throw new NoSuchElementException();
        }
        return nextChunk(references, cipher);
      }
    };
  }

  private static Chunk nextChunk(Iterator<Reference> references, TenantCipher cipher) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    int size = 0;
    try (JsonGenerator generator = CanonicalJson.generator(out)) {
      generator.writeStartArray();
      while (references.hasNext()) {
        Reference reference = references.next();
        reference.writeCanonical(generator);
        size++;
        if (size >= MAX_SIZE || isBoundary(reference.id())) {
          break;
        }
      }
      generator.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] json = out.toByteArray();
    // Keyed: a chunk id is stored in clear, and a plain hash of the references would confirm a guessed membership.
    return new Chunk(ContentHash.ofChunk(cipher, json), json, size);
  }

  private static boolean isBoundary(String id) {
    // String.hashCode is specified by the JLS, so boundaries are stable across JVMs; mixed (murmur3
    // finalizer) because GUID strings' hash codes are not uniform in their low bits.
    int h = id.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Integer.remainderUnsigned(h, AVERAGE_SIZE) == 0;
  }
}
