package io.entrabackup.protocol.restore;

import java.util.List;

/** A restore job's skipped items, as {@code GET /api/v1/jobs/{id}/skipped-items} answers them in JSON. */
public record SkippedItemPage(String jobId, List<SkippedItem> items) {}
