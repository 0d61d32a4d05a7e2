package io.entrabackup.protocol.retention;

/**
 * The retention that applies to an account or a tenant.
 *
 * @param keepDays days versions are kept after they stop being current; null means unlimited
 * @param source where it comes from: {@code tenant} (the tenant's own), {@code account}, or {@code default}
 */
public record RetentionView(Integer keepDays, String source) {

  public static final String TENANT = "tenant";
  public static final String ACCOUNT = "account";
  public static final String DEFAULT = "default";
}
