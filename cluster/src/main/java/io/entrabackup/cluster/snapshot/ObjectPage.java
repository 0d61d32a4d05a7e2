package io.entrabackup.cluster.snapshot;

import java.util.List;
import java.util.Optional;

/** One page of the objects of a type; {@code next} is an opaque cursor for the following page. */
public record ObjectPage(List<ObjectSummary> items, Optional<String> next) {}
