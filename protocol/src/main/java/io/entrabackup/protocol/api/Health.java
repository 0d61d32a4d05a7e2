package io.entrabackup.protocol.api;

import java.util.Map;

/**
 * Body of the health endpoints.
 *
 * @param checks each check by name ({@code cassandra}, {@code cluster}) with what it found
 */
public record Health(String status, Map<String, String> checks) {}
