package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A page of jobs, newest first; {@code next} is the opaque cursor of the following page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPage(List<JobView> items, String next) {}
