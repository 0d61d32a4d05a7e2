package io.entrabackup.simulator.graph;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one $filter shape role management lists need: {@code prop eq 'value'} joined with {@code and}. */
final class RoleFilter {
  private static final Pattern EQ = Pattern.compile("\\s*(\\w+)\\s+eq\\s+'([^']*)'\\s*");

  private RoleFilter() {}

  static boolean matches(String filter, Map<String, Object> obj) {
    for (String clause : filter.split("(?i)\\s+and\\s+")) {
      Matcher m = EQ.matcher(clause);
      if (!m.matches()) {
        throw GraphException.badRequest("Invalid filter clause: " + clause);
      }
      Object v = obj.get(m.group(1));
      if (v == null || !v.toString().equalsIgnoreCase(m.group(2))) {
        return false;
      }
    }
    return true;
  }
}
