package io.entrabackup.simulator.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.simulator.directory.Churn;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.http.Resp;
import io.entrabackup.simulator.throttle.Faults;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The admin HTTP API under {@code /_simulator}: plain JSON, not Graph-shaped, no authentication (local use only). */
public final class AdminRoutes {
  private final SimulatorAdmin admin;

  public AdminRoutes(SimulatorAdmin admin) {
    this.admin = admin;
  }

  public Resp handle(Req req) {
    List<String> s = req.segments().subList(1, req.segments().size());
    String m = req.method();
    try {
      if (s.isEmpty() || s.get(0).equals("health")) {
        return ok(Map.of("status", "ok"));
      }
      switch (s.get(0)) {
        case "tenants" -> {
          return tenants(req, s, m);
        }
        case "clock" -> {
          if (m.equals("POST") || m.equals("PUT")) {
            ObjectNode b = body(req);
            if (b.has("set")) {
              admin.setClock(Instant.parse(b.get("set").asText()));
            } else {
              long seconds = b.path("advanceSeconds").asLong(0) + b.path("advanceDays").asLong(0) * 86400
                  + b.path("advanceHours").asLong(0) * 3600;
              admin.advanceClock(Duration.ofSeconds(seconds));
            }
          }
          return ok(Map.of("now", admin.now().toString()));
        }
        case "apps" -> {
          return apps(req, m);
        }
        case "consent-mode" -> {
          if (!m.equals("GET")) {
            admin.consentMode(body(req).path("mode").asText());
          }
          return ok(Map.of("mode", admin.consentMode()));
        }
        case "throttle" -> {
          if (!m.equals("GET")) {
            ObjectNode b = body(req);
            admin.throttle(b.has("scale") ? b.get("scale").asDouble() : null, b.has("enabled") ? b.get("enabled").asBoolean() : null,
                b.has("fractionalRetryAfter") ? b.get("fractionalRetryAfter").asBoolean() : null);
          }
          return ok(admin.throttleSettings());
        }
        case "quirks" -> {
          if (!m.equals("GET")) {
            ObjectNode b = body(req);
            admin.quirks(b.has("removedInFullRounds") ? b.get("removedInFullRounds").asBoolean() : null,
                b.has("omitMemberRemovalsOfDeletedUsers") ? b.get("omitMemberRemovalsOfDeletedUsers").asBoolean() : null);
            if (b.has("unchangedPropertiesInRounds")) {
              admin.unchangedPropertiesInRounds(b.get("unchangedPropertiesInRounds").asBoolean());
            }
          }
          return ok(admin.quirks());
        }
        case "faults" -> {
          return faults(req, m);
        }
        case "stats" -> {
          if (m.equals("DELETE")) {
            admin.resetStats();
          }
          return ok(admin.stats());
        }
        case "requests" -> {
          return ok(Map.of("value", admin.requestLog().recent()));
        }
        default -> {
          return error(404, "No admin endpoint " + req.path());
        }
      }
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      return error(400, e.getMessage());
    }
  }

  private Resp tenants(Req req, List<String> s, String m) {
    if (s.size() == 1) {
      if (m.equals("POST")) {
        ObjectNode b = body(req);
        return Resp.json(201, Json.bytes(admin.createTenant(b.path("users").asInt(50), b.path("groups").asInt(10))));
      }
      return ok(Map.of("value", admin.tenants()));
    }
    String tenantId = s.get(1);
    if (s.size() == 3 && s.get(2).equals("churn") && m.equals("POST")) {
      ObjectNode b = body(req);
      Churn.Spec spec = new Churn.Spec(b.path("seed").asLong(1), text(b, "users", "update"), text(b, "users", "delete"),
          text(b, "users", "hardDelete"), text(b, "users", "restore"), text(b, "groups", "update"), text(b, "groups", "delete"),
          text(b, "groups", "addMembers"), text(b, "groups", "removeMembers"), text(b, "groups", "restore"),
          text(b, "groups", "addOwners"), text(b, "groups", "removeOwners"), text(b, "roles", "assign"),
          text(b, "roles", "unassign"));
      return ok(admin.churn(tenantId, spec));
    }
    if (s.size() == 4 && s.get(2).equals("objects")) {
      Map<String, Object> o = admin.object(tenantId, s.get(3));
      return o == null ? error(404, "No object " + s.get(3)) : ok(o);
    }
    if (s.size() == 3 && s.get(2).equals("consents") && m.equals("POST")) {
      ObjectNode b = body(req);
      admin.consent(tenantId, b.path("clientId").asText(), strings(b.get("permissions")));
      return ok(Map.of("consented", b.path("clientId").asText()));
    }
    if (s.size() == 3 && s.get(2).equals("directoryRoles") && m.equals("POST")) {
      ObjectNode b = body(req);
      admin.grantDirectoryRole(tenantId, b.path("clientId").asText(), b.path("roleTemplateId").asText());
      return ok(Map.of("granted", b.path("roleTemplateId").asText()));
    }
    if (s.size() == 4 && s.get(2).equals("consents") && m.equals("DELETE")) {
      admin.revokeConsent(tenantId, s.get(3));
      return Resp.empty(204);
    }
    return error(404, "No admin endpoint " + req.path());
  }

  private Resp apps(Req req, String m) {
    if (m.equals("POST")) {
      ObjectNode b = body(req);
      String clientId = b.path("clientId").asText(null);
      if (clientId == null) {
        throw new IllegalArgumentException("clientId is required");
      }
      admin.registerApp(clientId, b.path("clientSecret").asText(null), strings(b.get("redirectUris")), strings(b.get("permissions")));
      if (b.hasNonNull("groupMembershipClaims")) {
        admin.groupMembershipClaims(clientId, b.get("groupMembershipClaims").asText());
      }
      if (b.hasNonNull("certificatePem")) {
        admin.addCertificate(clientId, certificate(b.get("certificatePem").asText()));
      }
      if (b.path("consentAllTenants").asBoolean(false)) {
        admin.tenants().forEach(t -> admin.consent(t.id(), clientId, null));
      }
      return Resp.json(201, Json.bytes(Map.of("clientId", clientId)));
    }
    return ok(Map.of("value", admin.apps()));
  }

  private Resp faults(Req req, String m) {
    if (m.equals("DELETE")) {
      admin.clearFaults();
    } else if (m.equals("POST")) {
      ObjectNode b = body(req);
      Faults.Kind kind = Faults.Kind.valueOf(b.path("kind").asText().toUpperCase(Locale.ROOT).replace('-', '_'));
      admin.addFault(kind, b.path("rate").asDouble(1.0), b.path("count").asInt(-1), b.path("pathContains").asText(""),
          b.hasNonNull("retryAfterSeconds") ? b.get("retryAfterSeconds").asDouble() : null, b.path("delayMillis").asLong(0));
    }
    return ok(Map.of("value", admin.faults()));
  }

  private static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalArgumentException("certificatePem is not a PEM X.509 certificate");
    }
  }

  private static String text(ObjectNode b, String group, String field) {
    JsonNode n = b.path(group).path(field);
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  private static ObjectNode body(Req req) {
    ObjectNode b = req.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(req.body());
    if (b == null) {
      throw new IllegalArgumentException("The body must be a JSON object");
    }
    return b;
  }

  private static Resp ok(Object body) {
    return Resp.json(200, Json.bytes(body));
  }

  private static Resp error(int status, String message) {
    return Resp.json(status, Json.bytes(Map.of("error", message == null ? "bad request" : message)));
  }
}
