package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A page of a type's objects; {@code next} is the opaque cursor of the following page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectItemPage(List<ObjectItem> items, String next) {}
