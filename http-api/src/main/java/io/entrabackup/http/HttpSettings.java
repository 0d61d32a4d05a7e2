package io.entrabackup.http;

import com.typesafe.config.Config;

/**
 * The {@code entra-backup.http} section: where the API listens and the limits it enforces ({@code maxKeysPerAccount}:
 * live API keys one account may hold, http-api/LIMITS.md).
 */
public record HttpSettings(
    String interfaceName,
    int port,
    long maxBodyBytes,
    int defaultPageSize,
    int maxPageSize,
    int maxKeysPerAccount) {

  public static HttpSettings create(Config root) {
    Config config = root.getConfig("entra-backup.http");
    return new HttpSettings(
        config.getString("interface"),
        config.getInt("port"),
        config.getBytes("max-body-size"),
        config.getInt("default-page-size"),
        config.getInt("max-page-size"),
        Math.max(1, config.getInt("limits.max-keys-per-account")));
  }
}
