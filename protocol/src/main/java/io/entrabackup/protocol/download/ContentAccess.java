package io.entrabackup.protocol.download;

import java.time.Instant;

/** The answer to a signed content link: the file to stream, or why not (403, 404 or 410). */
public sealed interface ContentAccess {

  /**
   * @param build and {@code chunkSize}: where the stored chunks are, passed back to read the bytes
   */
  record Granted(String jobId, String fileName, long sizeBytes, String sha256, Instant publishedAt, int build,
      int chunkSize) implements ContentAccess {}

  record Denied(int status, String title, String detail) implements ContentAccess {}
}
