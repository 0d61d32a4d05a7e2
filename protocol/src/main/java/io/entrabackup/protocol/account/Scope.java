package io.entrabackup.protocol.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API key may do. Scopes do not imply each other: a key made for a monitoring dashboard gets {@code read}
 * only, a key made for a ticketing integration {@code read} and {@code operate}. In JSON the lower-case name.
 */
public enum Scope {
  /** Browse tenants, objects, snapshots and jobs (System Status). */
  READ,
  /** Start work that changes nothing in a directory: Backup Now, downloads, activation links. */
  OPERATE,
  /** Write to a customer's directory: plan, run and approve restores. */
  RESTORE,
  /** Manage the account itself: its keys and settings. */
  ADMIN;

  /** Every scope: what keys made before scopes existed carry, so an upgrade takes nothing away silently. */
  public static final Set<Scope> ALL = Set.copyOf(EnumSet.allOf(Scope.class));

  @JsonValue
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Scope fromApiName(String name) {
    return Arrays.stream(values()).filter(scope -> scope.apiName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("scope must be one of read, operate, restore, admin"));
  }

  /** The scopes in declaration order, unmodifiable: how the API lists them. */
  public static Set<Scope> ordered(java.util.Collection<Scope> scopes) {
    return java.util.Collections.unmodifiableSet(
        scopes.isEmpty() ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(scopes));
  }

  /** The scopes' API names, in declaration order: how they are stored. */
  public static Set<String> apiNames(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::apiName).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }
}
