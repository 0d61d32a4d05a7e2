package io.entrabackup.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.List;

/**
 * One page of the tenant list.
 *
 * @param next the cursor to pass as {@code after} for the next page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record TenantPage(List<TenantView> tenants, String next) {}
