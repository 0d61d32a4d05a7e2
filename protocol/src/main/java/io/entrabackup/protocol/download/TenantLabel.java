package io.entrabackup.protocol.download;

import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import java.util.Optional;

/** Who a download is of, as its manifest names the tenant (taken from the tenant when the job starts). */
public record TenantLabel(
    TenantId id, String displayName, Optional<String> entraTenantId, Optional<String> organizationName)
    implements CborSerializable {}
