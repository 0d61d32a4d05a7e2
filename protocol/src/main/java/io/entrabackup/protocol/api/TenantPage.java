package io.entrabackup.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.List;
import java.util.Map;

/**
 * One page of the tenant list, in the shape of every list ({@code items}, {@code next}) with the dashboard's
 * figures beside it.
 *
 * @param next the cursor of the following page, to pass as {@code cursor}; absent on the last page
 * @param summary the account's counts, from the same read as this page
 * @param sameDirectory for a tenant of this page that names the same Microsoft directory (Entra tenant id or domain)
 *     as other tenants of the account: their display names
 * @param backingUp the tenants of this page whose backup is queued or running
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record TenantPage(
    List<TenantView> items,
    String next,
    TenantSummary summary,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> sameDirectory,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> backingUp) {

  public TenantPage {
    items = List.copyOf(items);
    sameDirectory = Map.copyOf(sameDirectory);
    backingUp = List.copyOf(backingUp);
  }

  /** A page without the dashboard's figures. */
  public TenantPage(List<TenantView> items, String next) {
    this(items, next, TenantSummary.EMPTY, Map.of(), List.of());
  }

  /** The items under the list's former name (deprecated; removed in the next release). */
  @JsonProperty("tenants")
  public List<TenantView> tenants() {
    return items;
  }
}
