package io.entrabackup.simulator;

/** A generated tenant as the product sees it: its id (GUID), default domain and display name, and its sizes. */
public record TenantInfo(String id, String domain, String displayName, int users, int groups) {}
