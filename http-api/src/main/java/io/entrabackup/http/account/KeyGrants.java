package io.entrabackup.http.account;

import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which keys a caller may make, revoke or rotate: only keys it could have made itself, so no key gains through
 * another key more than it holds (an install administrator may do anything to any account's keys). The bootstrap key
 * belongs to configuration: only an install administrator revokes it through the API, and nobody rotates it there.
 */
final class KeyGrants {

  private KeyGrants() {}

  /** Why the caller may not give a key these scopes; empty when it may. */
  static Optional<String> refusalToGrant(Caller caller, Set<Scope> scopes) {
    Set<Scope> lacking = lacking(caller, scopes);
    return lacking.isEmpty()
        ? Optional.empty()
        : Optional.of("This API key cannot grant " + names(lacking) + ": a key gives only scopes it holds itself");
  }

  /** Why the caller may not revoke {@code key}; empty when it may. */
  static Optional<String> refusalToRevoke(Caller caller, ApiKeyView key) {
    if (key.installAdmin() && !caller.installAdmin()) {
      return Optional.of("Key " + key.keyId() + " is the bootstrap administrator key, managed by configuration"
          + " (entra-backup.auth.bootstrap-key); only an install administrator may revoke it here");
    }
    return refusalToManage(caller, key, "revoke");
  }

  /** Why the caller may not give {@code key} a new secret; empty when it may. */
  static Optional<String> refusalToRotate(Caller caller, ApiKeyView key) {
    if (key.installAdmin()) {
      return Optional.of("Key " + key.keyId() + " is the bootstrap administrator key: rotate it by changing"
          + " entra-backup.auth.bootstrap-key and restarting, which revokes the old one");
    }
    return refusalToManage(caller, key, "rotate");
  }

  private static Optional<String> refusalToManage(Caller caller, ApiKeyView key, String action) {
    Set<Scope> lacking = lacking(caller, key.scopes());
    return lacking.isEmpty()
        ? Optional.empty()
        : Optional.of("This API key cannot " + action + " key " + key.keyId() + ", which has " + names(lacking)
            + " that this key lacks");
  }

  private static Set<Scope> lacking(Caller caller, Set<Scope> scopes) {
    if (caller.installAdmin()) {
      return Set.of();
    }
    return scopes.stream().filter(scope -> !caller.has(scope)).collect(Collectors.toSet());
  }

  private static String names(Set<Scope> scopes) {
    String quoted = Scope.apiNames(scopes).stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    return (scopes.size() == 1 ? "the scope " : "the scopes ") + quoted;
  }
}
