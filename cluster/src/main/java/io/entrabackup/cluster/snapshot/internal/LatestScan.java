package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Every row of one type's {@code snapshot_latest} partitions, bucket by bucket (so the order is stable: buckets,
 * then object ids), with the first pages of the next few buckets read ahead and each bucket's next page read
 * while the current one is worked through. Holds at most {@code bucketsAhead + 2} pages.
 */
public final class LatestScan {

  private LatestScan() {}

  /** @param firstPage reads a bucket's first page */
  public static Source<Row, NotUsed> of(IntFunction<CompletionStage<AsyncResultSet>> firstPage, int bucketsAhead) {
    return Source.range(0, LatestBuckets.COUNT - 1)
        .mapAsync(bucketsAhead, firstPage::apply)
        .flatMapConcat(LatestScan::pages)
        .mapConcat(AsyncResultSet::currentPage);
  }

  private static Source<AsyncResultSet, NotUsed> pages(AsyncResultSet first) {
    return Source.unfoldAsync(Optional.<CompletionStage<AsyncResultSet>>of(CompletableFuture.completedFuture(first)),
        next -> next.isEmpty()
            ? CompletableFuture.completedFuture(Optional.empty())
            : next.get().thenApply(page -> Optional.of(Pair.create(
                page.hasMorePages() ? Optional.of(page.fetchNextPage()) : Optional.empty(), page))));
  }
}
