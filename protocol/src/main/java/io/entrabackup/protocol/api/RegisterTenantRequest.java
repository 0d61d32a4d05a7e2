package io.entrabackup.protocol.api;

/**
 * Body of {@code POST /api/v1/tenants}.
 *
 * @param entraTenant optional Entra tenant id (GUID) or domain; null when not known yet
 */
public record RegisterTenantRequest(String displayName, String entraTenant) {}
