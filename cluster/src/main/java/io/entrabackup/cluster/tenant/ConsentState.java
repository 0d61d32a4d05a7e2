package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.auth.HmacSigner;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code state} of an admin-consent round trip: which tenant and account it is for, its
 * single-use nonce (the tenant entity remembers the one pending), and when it expires; signed, so a
 * forged or altered state is recognised without asking anyone.
 */
record ConsentState(TenantId tenantId, AccountId account, String nonce, Instant expiresAt) {

  private static final String VERSION = "v1";
  private static final String SEPARATOR = "|";

  String encode(HmacSigner signer) {
    return signer.sign(String.join(SEPARATOR, VERSION, tenantId.value(), account.value(), nonce,
        Long.toString(expiresAt.getEpochSecond())));
  }

  /** The state, when intact and not expired at {@code now}. */
  static Optional<ConsentState> decode(String text, HmacSigner signer, Instant now) {
    return signer.verify(text).flatMap(ConsentState::parse).filter(state -> now.isBefore(state.expiresAt()));
  }

  private static Optional<ConsentState> parse(String payload) {
    String[] parts = payload.split("\\|", -1);
    if (parts.length != 5 || !VERSION.equals(parts[0])) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ConsentState(TenantId.parse(parts[1]), new AccountId(parts[2]), parts[3],
          Instant.ofEpochSecond(Long.parseLong(parts[4]))));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }
}
