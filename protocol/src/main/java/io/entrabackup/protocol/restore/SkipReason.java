package io.entrabackup.protocol.restore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Why a restore did not put something back: a stable code an operator can filter on. The code is what JSON, the
 * skipped-items CSV and the {@code reason} column of {@code restore_skipped_items} hold.
 */
public enum SkipReason {
  // Graph's write rules say no before we ask.
  READ_ONLY("read_only_property"),
  SYNCED("synced_from_on_premises"),
  DYNAMIC_MEMBERSHIP("dynamic_group_members"),
  MAIL_ENABLED("mail_enabled_or_distribution_group"),
  NOT_RESTORED("not_restored_by_entra_backup"),
  // Graph said no when we asked.
  MEMBER_GONE("member_no_longer_exists"),
  PERMISSION_REFUSED("permission_refused"),
  REFUSED("refused_by_graph");

  private final String code;

  SkipReason(String code) {
    this.code = code;
  }

  /** {@code read_only_property}, {@code permission_refused}, ... */
  @JsonValue
  public String code() {
    return code;
  }

  public static Optional<SkipReason> fromCode(String code) {
    return Arrays.stream(values()).filter(reason -> reason.code.equals(code)).findFirst();
  }

  @JsonCreator
  static SkipReason parse(String code) {
    return fromCode(code).orElseThrow(() -> new IllegalArgumentException("unknown skip reason " + code));
  }
}
