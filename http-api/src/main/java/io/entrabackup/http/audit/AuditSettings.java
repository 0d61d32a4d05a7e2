package io.entrabackup.http.audit;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code entra-backup.audit} section: whose forwarded addresses to believe, and the bounds that keep recording
 * cheap.
 *
 * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} names the client; from any other
 *     peer the header is ignored and the connection's own address is recorded
 * @param answerWait how long an audited request's answer waits for its record to be appended
 */
public record AuditSettings(Set<String> trustedProxies, int userAgentLength, int failedAuthenticationBurst,
    Duration failedAuthenticationWindow, int rememberedAddresses, int listScanBudget, Duration answerWait) {

  public static AuditSettings create(Config root) {
    Config config = root.getConfig("entra-backup.audit");
    return new AuditSettings(
        Set.copyOf(config.getStringList("trusted-proxies")),
        config.getInt("user-agent-length"),
        config.getInt("failed-authentication-burst"),
        config.getDuration("failed-authentication-window"),
        config.getInt("remembered-addresses"),
        config.getInt("list-scan-budget"),
        config.getDuration("answer-wait"));
  }
}
