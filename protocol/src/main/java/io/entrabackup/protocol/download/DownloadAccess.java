package io.entrabackup.protocol.download;

import java.time.Instant;
import java.util.Optional;

/**
 * One fetch of a download's content, as audited.
 *
 * @param by {@code account:<id>} when the request carried an API key, else {@code link} (the signed link alone)
 * @param range the Range header asked for, if any
 * @param client the caller's address and user agent, as far as known
 */
public record DownloadAccess(Instant at, String by, Optional<String> range, Optional<String> client) {}
