package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keys list|create|revoke}: the account's API keys (the calling key's account unless --account). */
@Command(name = "keys", description = "List, create and revoke the account's API keys.",
    subcommands = {KeysCommand.List.class, KeysCommand.Create.class, KeysCommand.Revoke.class})
final class KeysCommand extends CommandGroup {

  /** A command on one account's keys. */
  abstract static class AccountKeys extends ApiCommand {

    @Option(names = "--account", description = "The account (default: the calling key's own).")
    String account;

    String keysPath(ApiClient api) {
      String id = account != null ? account : api.get("/api/v1/session").json().path("account").asText();
      return "/api/v1/accounts/" + ApiClient.segment(id) + "/keys";
    }
  }

  @Command(name = "list", description = "The keys: ids, names, scopes, dates (never a secret).")
  static final class List extends AccountKeys {

    @Override
    int run(ApiClient api, Output out) {
      return out.answer(api.get(keysPath(api)), json -> table(json).print(out.out()));
    }

    static Table table(JsonNode page) {
      Table table = Table.of("key id", "name", "scopes", "created", "revoked");
      for (JsonNode key : page.path("items")) {
        java.util.List<String> scopes = new ArrayList<>();
        key.path("scopes").forEach(scope -> scopes.add(scope.asText()));
        table.row(key.path("keyId").asText(), key.path("name").asText(), String.join(",", scopes),
            key.path("createdAt").asText(), key.path("revokedAt").asText(""));
      }
      return table;
    }
  }

  @Command(name = "create", description = {"Create a key; prints its secret, shown this once only.",
      "Keep it in a file only you can read and pass it with --api-key-file."})
  static final class Create extends AccountKeys {

    @Option(names = "--name", required = true, description = "What the key is for.")
    String name;
    @Option(names = "--scopes", split = ",", description = "read (default), operate, restore, admin; only scopes the "
        + "calling key holds.")
    java.util.List<String> scopes;

    @Override
    int run(ApiClient api, Output out) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      if (scopes != null) {
        body.put("scopes", scopes);
      }
      return out.answer(api.post(keysPath(api), body), key -> {
        out.line(key.path("key").asText());
        out.note("key " + Text.clean(key.path("keyId").asText()) + " created with scopes "
            + Text.clean(key.path("scopes").toString()) + "; its secret above is shown only now");
      });
    }
  }

  @Command(name = "revoke", description = "Revoke a key: it stops working (on every node within the key cache's TTL).")
  static final class Revoke extends AccountKeys {

    @Parameters(paramLabel = "<keyId>")
    String keyId;

    @Override
    int run(ApiClient api, Output out) {
      api.delete(keysPath(api) + "/" + ApiClient.segment(keyId));
      if (out.json()) {
        out.line("{\"keyId\":" + quoted(keyId) + ",\"revoked\":true}");
      } else {
        out.line("key " + Text.clean(keyId) + " revoked");
      }
      return ExitCode.OK;
    }

    private static String quoted(String text) {
      try {
        return ApiClient.JSON.writeValueAsString(text);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
