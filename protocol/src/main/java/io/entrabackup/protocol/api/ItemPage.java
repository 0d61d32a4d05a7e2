package io.entrabackup.protocol.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page of a list, the shape every list of the API answers: {@code {"items": [...], "next": "..."}}.
 *
 * @param items the page's entries, in the list's order
 * @param next the cursor of the following page, to pass as {@code cursor}; absent on the last page (and on lists
 *     that always fit one page)
 * @param formerName the name this list answered its entries under before every list said {@code items}
 *     ({@code tenants}, {@code versions}, {@code keys}, {@code types}): still answered, beside {@code items}, for one
 *     release, and deprecated; absent on lists that always said {@code items}
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ItemPage<T>(List<T> items, Optional<String> next, @JsonIgnore Optional<String> formerName) {

  public ItemPage {
    items = List.copyOf(items);
  }

  /** A page of a longer list; {@code next} empty on its last page. */
  public static <T> ItemPage<T> of(List<T> items, Optional<String> next) {
    return new ItemPage<>(items, next, Optional.empty());
  }

  /** A list answered whole, on one page. */
  public static <T> ItemPage<T> whole(List<T> items) {
    return of(items, Optional.empty());
  }

  /** This page, also answering its items under the list's former name (deprecated; removed in the next release). */
  public ItemPage<T> alsoAs(String former) {
    return new ItemPage<>(items, next, Optional.of(former));
  }

  /** The deprecated alias as JSON: {@code {"<formerName>": items}}, or nothing. */
  @JsonAnyGetter
  public Map<String, Object> formerNameAlias() {
    return formerName.<Map<String, Object>>map(name -> Map.of(name, items)).orElse(Map.of());
  }
}
