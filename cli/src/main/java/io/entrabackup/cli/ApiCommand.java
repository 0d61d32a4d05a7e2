package io.entrabackup.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that calls the API: the connection options every such command takes, and the client they make. The key
 * is read from {@code ENTRA_API_KEY} or {@code --api-key-file}, never from an argument.
 */
abstract class ApiCommand implements Callable<Integer> {

  static final String URL_VARIABLE = "ENTRA_URL";
  static final String CA_VARIABLE = "ENTRA_CA_FILE";

  @Spec
  CommandSpec spec;

  @Option(names = "--url", paramLabel = "<url>",
      description = "The server, e.g. https://127.0.0.1:8080 (default: $ENTRA_URL).")
  String url;

  @Option(names = "--api-key-file", paramLabel = "<path>",
      description = "A file holding the API key (default: the key in $ENTRA_API_KEY).")
  Path apiKeyFile;

  @Option(names = "--ca-file", paramLabel = "<ca.pem>",
      description = "Trust the CA certificates of this PEM file for HTTPS, e.g. deploy/run's .local/run/tls/ca.pem "
          + "(default: $ENTRA_CA_FILE, else the JDK's public CAs).")
  Path caFile;

  @Option(names = "--json", description = "Print the API's JSON unchanged instead of a table.")
  boolean json;

  @Override
  public final Integer call() {
    EntraBackup root = (EntraBackup) spec.root().userObject();
    Map<String, String> environment = root.environment();
    Output output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json, root.terminal());
    String key = ApiKeySource.key(Optional.ofNullable(apiKeyFile), environment);
    Optional<Path> ca = Optional.ofNullable(caFile)
        .or(() -> Optional.ofNullable(environment.get(CA_VARIABLE)).filter(s -> !s.isBlank()).map(Path::of));
    ApiClient api = new ApiClient(server(environment), key, ca.map(TrustedCa::from));
    return run(api, output);
  }

  /** The command's work; answers its exit status, or throws {@link CliFailure}. */
  abstract int run(ApiClient api, Output out);

  private URI server(Map<String, String> environment) {
    String text = Optional.ofNullable(url).or(() -> Optional.ofNullable(environment.get(URL_VARIABLE)))
        .map(String::strip).filter(s -> !s.isEmpty())
        .orElseThrow(() -> new CliFailure(ExitCode.USAGE,
            "no server: pass --url https://host:port or set " + URL_VARIABLE));
    try {
      URI uri = new URI(text);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(text, "not an http(s)://host:port URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CliFailure(ExitCode.USAGE, "--url: " + Text.clean(e.getMessage()));
    }
  }
}
