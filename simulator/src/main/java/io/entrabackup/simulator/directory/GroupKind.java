package io.entrabackup.simulator.directory;

/** The kinds of group Entra has, which decide what Graph lets a client write. */
public enum GroupKind {
  SECURITY, UNIFIED, DYNAMIC_SECURITY, MAIL_ENABLED_SECURITY, DISTRIBUTION, SYNCED_SECURITY;

  /** Classifies a group from its properties, as a client would. */
  public static GroupKind of(java.util.Map<String, Object> p) {
    Object types = p.get("groupTypes");
    boolean unified = types instanceof java.util.List<?> l && l.contains("Unified");
    boolean dynamic = types instanceof java.util.List<?> l2 && l2.contains("DynamicMembership");
    boolean mail = Boolean.TRUE.equals(p.get("mailEnabled"));
    boolean security = Boolean.TRUE.equals(p.get("securityEnabled"));
    if (Boolean.TRUE.equals(p.get("onPremisesSyncEnabled"))) {
      return SYNCED_SECURITY;
    }
    if (dynamic) {
      return DYNAMIC_SECURITY;
    }
    if (unified) {
      return UNIFIED;
    }
    if (mail) {
      return security ? MAIL_ENABLED_SECURITY : DISTRIBUTION;
    }
    return SECURITY;
  }
}
