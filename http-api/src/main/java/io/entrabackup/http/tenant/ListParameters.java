package io.entrabackup.http.tenant;

import io.entrabackup.http.Paging;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.api.TenantCursor;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.api.TenantSort;
import io.entrabackup.protocol.api.TenantStatusFilter;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The tenant list's query parameters as sent: {@link #problem} says what is wrong, else {@link #query} is the ask. */
record ListParameters(
    Optional<String> limit,
    Optional<String> cursor,
    Optional<String> after,
    Optional<String> search,
    Optional<String> status,
    Optional<String> sort,
    Optional<String> order) {

  /** The first parameter that is not valid, answered as a problem document; empty when all are. */
  Optional<HttpResponse> problem(HttpSettings settings) {
    if (Paging.limit(limit, settings).isEmpty()) {
      return Optional.of(Paging.badLimit(settings));
    }
    if (search.filter(text -> text.length() > TenantQuery.MAX_SEARCH).isPresent()) {
      return bad("search must be at most " + TenantQuery.MAX_SEARCH + " characters");
    }
    if (status.filter(text -> TenantStatusFilter.fromApiName(text).isEmpty()).isPresent()) {
      return bad("status must be one of " + TenantStatusFilter.choices());
    }
    if (sort.filter(text -> TenantSort.fromApiName(text).isEmpty()).isPresent()) {
      return bad("sort must be one of " + TenantSort.choices());
    }
    if (order.filter(text -> !text.equals("asc") && !text.equals("desc")).isPresent()) {
      return bad("order must be asc or desc");
    }
    if (place().isPresent() && place().get().isEmpty()) {
      return bad((cursor.isPresent() ? "cursor: " : "after: ")
          + "not one this list gave out for this order: start again without it");
    }
    return Optional.empty();
  }

  /** The query asked (call only when {@link #problem} is empty). */
  TenantQuery query(HttpSettings settings) {
    return new TenantQuery(search, status.flatMap(TenantStatusFilter::fromApiName), sortAsked(), descending(),
        place().flatMap(found -> found), Paging.limit(limit, settings).orElseThrow());
  }

  /** The cursor sent (or its former name), parsed for the order asked: empty inside when it is not valid. */
  private Optional<Optional<TenantCursor>> place() {
    return cursor.or(() -> after).map(text -> TenantCursor.parse(text, sortAsked(), descending()));
  }

  private TenantSort sortAsked() {
    return sort.flatMap(TenantSort::fromApiName).orElse(TenantSort.ID);
  }

  private boolean descending() {
    return order.filter("desc"::equals).isPresent();
  }

  private static Optional<HttpResponse> bad(String detail) {
    return Optional.of(Problems.badRequest(detail));
  }
}
