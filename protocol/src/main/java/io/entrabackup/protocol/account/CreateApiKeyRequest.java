package io.entrabackup.protocol.account;

import java.util.List;

/**
 * Body of {@code POST /api/v1/accounts/{id}/keys}: a name saying where the key is used, and what it may do.
 *
 * @param scopes API names of {@link Scope}s; absent means {@code ["read"]}, the least a key can do, so a key made
 *     without thinking about scopes can look but not act. Never more than the creating key holds.
 */
public record CreateApiKeyRequest(String name, List<String> scopes) {

  /** What a key is given when its request names no scopes. */
  public static final List<String> DEFAULT_SCOPES = List.of(Scope.READ.apiName());
}
