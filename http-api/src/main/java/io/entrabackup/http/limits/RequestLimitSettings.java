package io.entrabackup.http.limits;

import com.typesafe.config.Config;

/**
 * The {@code entra-backup.http.limits} section: how fast one API key, all keys of one account, and one source address
 * failing to authenticate or calling the routes without a key, may call this node (http-api/LIMITS.md). A rate of 0 turns that limit off.
 *
 * @param requestsPerSecondPerKey requests a key may make per second on one node, sustained
 * @param burstPerKey requests a key may make at once after being idle (the bucket's size)
 * @param failedAuthenticationsPerSecondPerAddress failed authentications one source address may make per second
 * @param failedAuthenticationBurstPerAddress failed authentications one source address may make at once
 * @param maxTrackedCallers keys and addresses whose buckets are kept in memory before idle ones are dropped
 * @param requestsPerSecondPerAccount requests all keys of one account may make per second on one node, sustained
 * @param burstPerAccount requests all keys of one account may make at once after being idle
 * @param requestsPerSecondPerAddress requests one source address may make per second to the routes without an API
 *     key (the consent callback, signed download links)
 * @param burstPerAddress such requests one source address may make at once after being idle
 */
public record RequestLimitSettings(
    long requestsPerSecondPerKey,
    long burstPerKey,
    long failedAuthenticationsPerSecondPerAddress,
    long failedAuthenticationBurstPerAddress,
    int maxTrackedCallers,
    long requestsPerSecondPerAccount,
    long burstPerAccount,
    long requestsPerSecondPerAddress,
    long burstPerAddress) {

  public static final String PATH = "entra-backup.http.limits";

  /** No limit at all: for routes built without a node (route tests). */
  public static final RequestLimitSettings UNLIMITED = new RequestLimitSettings(0, 0, 0, 0, 1);

  /** Without a limit per account. */
  public RequestLimitSettings(long requestsPerSecondPerKey, long burstPerKey,
      long failedAuthenticationsPerSecondPerAddress, long failedAuthenticationBurstPerAddress, int maxTrackedCallers) {
    this(requestsPerSecondPerKey, burstPerKey, failedAuthenticationsPerSecondPerAddress,
        failedAuthenticationBurstPerAddress, maxTrackedCallers, 0, 0, 0, 0);
  }

  public RequestLimitSettings {
    if (requestsPerSecondPerKey < 0 || failedAuthenticationsPerSecondPerAddress < 0 || requestsPerSecondPerAccount < 0
        || requestsPerSecondPerAddress < 0 || maxTrackedCallers < 1) {
      throw new IllegalArgumentException(PATH + ": rates must be >= 0 and max-tracked-callers >= 1");
    }
    // A bucket smaller than one second of its rate would refuse a steady caller: never below the rate.
    burstPerKey = Math.max(burstPerKey, requestsPerSecondPerKey);
    failedAuthenticationBurstPerAddress =
        Math.max(failedAuthenticationBurstPerAddress, failedAuthenticationsPerSecondPerAddress);
    burstPerAccount = Math.max(burstPerAccount, requestsPerSecondPerAccount);
    burstPerAddress = Math.max(burstPerAddress, requestsPerSecondPerAddress);
  }

  public static RequestLimitSettings create(Config root) {
    Config c = root.getConfig(PATH);
    return new RequestLimitSettings(
        c.getLong("requests-per-second-per-key"),
        c.getLong("burst-per-key"),
        c.getLong("failed-authentications-per-second-per-address"),
        c.getLong("failed-authentication-burst-per-address"),
        c.getInt("max-tracked-callers"),
        c.getLong("requests-per-second-per-account"),
        c.getLong("burst-per-account"),
        c.getLong("requests-per-second-per-address"),
        c.getLong("burst-per-address"));
  }
}
