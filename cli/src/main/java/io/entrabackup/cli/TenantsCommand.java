package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tenants list|show|add|activate|delete|undelete}: the account's tenants. */
@Command(name = "tenants", description = "List, add, activate and delete tenants.",
    subcommands = {TenantsCommand.List.class, TenantsCommand.Show.class, TenantsCommand.Add.class,
        TenantsCommand.Activate.class, TenantsCommand.Delete.class, TenantsCommand.Undelete.class})
final class TenantsCommand extends CommandGroup {

  static String path(String tenant) {
    return "/api/v1/tenants/" + ApiClient.segment(tenant);
  }

  @Command(name = "list", description = "The account's tenants with their status and backups.")
  static final class List extends ApiCommand {

    @Option(names = "--search", description = "Part of the name, organization, domain or id.")
    String search;
    @Option(names = "--status", description = "authorized, needs_attention or pending.")
    String status;
    @Option(names = "--sort", description = "id (default), name, last_backup, next_backup or status.")
    String sort;
    @Option(names = "--order", description = "asc or desc.")
    String order;
    @Mixin
    Pages pages;

    @Override
    int run(ApiClient api, Output out) {
      Map<String, Optional<String>> query = new LinkedHashMap<>();
      query.put("search", Optional.ofNullable(search));
      query.put("status", Optional.ofNullable(status));
      query.put("sort", Optional.ofNullable(sort));
      query.put("order", Optional.ofNullable(order));
      pages.addTo(query);
      return Pages.print(api.get("/api/v1/tenants" + ApiClient.query(query)), out, List::table);
    }

    static Table table(JsonNode page) {
      Table table = Table.of("id", "name", "status", "directory", "last backup", "next backup");
      for (JsonNode tenant : page.path("items")) {
        JsonNode last = tenant.path("lastBackup");
        table.row(tenant.path("id").asText(), tenant.path("displayName").asText(), tenant.path("status").asText(),
            tenant.path("entraTenant").asText(tenant.path("entraTenantId").asText("")),
            last.isObject() ? last.path("result").asText() + " " + last.path("finishedAt").asText() : "",
            tenant.path("nextBackupAt").asText(""));
      }
      return table;
    }
  }

  @Command(name = "show", description = "One tenant.")
  static final class Show extends ApiCommand {

    @Parameters(paramLabel = "<tenantId>")
    String tenant;

    @Override
    int run(ApiClient api, Output out) {
      return out.answer(api.get(path(tenant)), json -> details(json).print(out.out()));
    }

    static Table details(JsonNode tenant) {
      Table table = Table.of("field", "value");
      for (String field : java.util.List.of("id", "displayName", "status", "statusReason", "entraTenant",
          "entraTenantId", "organizationName", "backupFrequency", "nextBackupAt", "deletionScheduledFor")) {
        if (tenant.hasNonNull(field)) {
          table.row(field, tenant.get(field).asText());
        }
      }
      if (tenant.path("lastBackup").isObject()) {
        table.row("lastBackup", tenant.path("lastBackup").path("result").asText() + " "
            + tenant.path("lastBackup").path("finishedAt").asText());
      }
      return table;
    }
  }

  @Command(name = "add", description = "Add a tenant (pending authorization until activated).")
  static final class Add extends ApiCommand {

    @Option(names = "--name", required = true, description = "Its display name in this account.")
    String name;
    @Option(names = "--entra-tenant", description = "The directory: its tenant id (GUID) or a domain of it.")
    String entraTenant;

    @Override
    int run(ApiClient api, Output out) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("displayName", name);
      if (entraTenant != null) {
        body.put("entraTenant", entraTenant);
      }
      return out.answer(api.post("/api/v1/tenants", body), json -> {
        String id = Text.clean(json.path("id").asText());
        out.line(id);
        out.note("tenant " + id + " added, " + Text.clean(json.path("status").asText())
            + "; next: entra-backup tenants activate " + id);
      });
    }
  }

  @Command(name = "activate", description = {"Activate Backup: prints the consent link for the directory's admin.",
      "The link is valid once, for a limited time; the tenant is authorized once the admin accepts."})
  static final class Activate extends ApiCommand {

    @Parameters(paramLabel = "<tenantId>")
    String tenant;
    @Option(names = "--frequency", defaultValue = "P1D", description = "Backup frequency, ISO-8601 (default P1D).")
    String frequency;
    @Option(names = "--no-immediate-backup", description = "Wait for the schedule instead of backing up right after "
        + "consent.")
    boolean noImmediateBackup;

    @Override
    int run(ApiClient api, Output out) {
      return out.answer(api.post(path(tenant) + "/activation",
          Map.of("immediateBackup", !noImmediateBackup, "frequency", frequency)), json -> {
        out.line(json.path("consentUrl").asText());
        out.note("open this link as an administrator of the directory; valid once, until "
            + Text.clean(json.path("expiresAt").asText()));
      });
    }
  }

  @Command(name = "delete", description = {"Offboard a tenant: its data is deleted for good when the grace period "
      + "ends.", "Until then: entra-backup tenants undelete <tenantId>."})
  static final class Delete extends ApiCommand {

    @Parameters(paramLabel = "<tenantId>")
    String tenant;

    @Override
    int run(ApiClient api, Output out) {
      return out.answer(api.delete(path(tenant)), json -> {
        out.line("tenant " + Text.clean(json.path("id").asText()) + " will be deleted at "
            + Text.clean(json.path("deletionScheduledFor").asText()));
        out.note("undo before then: entra-backup tenants undelete " + Text.clean(tenant));
      });
    }
  }

  @Command(name = "undelete", aliases = "cancel-deletion",
      description = "Undo a tenant's deletion within its grace period; its schedule resumes.")
  static final class Undelete extends ApiCommand {

    @Parameters(paramLabel = "<tenantId>")
    String tenant;

    @Override
    int run(ApiClient api, Output out) {
      return out.answer(api.post(path(tenant) + "/deletion/cancel", Map.of()), json -> {
        out.line("tenant " + Text.clean(json.path("id").asText()) + " kept: "
            + Text.clean(json.path("status").asText()));
      });
    }
  }
}
