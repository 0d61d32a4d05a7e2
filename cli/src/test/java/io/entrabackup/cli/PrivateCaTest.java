package io.entrabackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a private CA, as deploy/run serves it: trusted through --ca-file or ENTRA_CA_FILE, refused (exit 6,
 * saying how to trust it) without; there is no way to switch the check off. The certificate is made here with the
 * JDK's keytool, as deploy/dev-certs makes its own.
 */
class PrivateCaTest {

  private static final String PASSWORD = "test-password";

  @TempDir
  Path folder;

  private HttpsServer server;
  private Path caPem;

  @BeforeEach
  void start() throws Exception {
    Path store = folder.resolve("server.p12");
    caPem = folder.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", caPem.toString());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/api/v1/tenants", exchange -> {
      byte[] body = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void thePrivateCaIsTrustedOnlyWhenGiven() {
    String url = "https://127.0.0.1:" + server.getAddress().getPort();
    assertEquals(0, cli(Map.of("ENTRA_API_KEY", "k", "ENTRA_URL", url), "tenants", "list", "--ca-file",
        caPem.toString()).status);
    assertEquals(0, cli(Map.of("ENTRA_API_KEY", "k", "ENTRA_URL", url, "ENTRA_CA_FILE", caPem.toString()),
        "tenants", "list").status);
    Run untrusted = cli(Map.of("ENTRA_API_KEY", "k", "ENTRA_URL", url), "tenants", "list");
    assertEquals(ExitCode.UNAVAILABLE, untrusted.status, untrusted.err);
    assertTrue(untrusted.err.contains("--ca-file"), untrusted.err);
  }

  private record Run(int status, String out, String err) {}

  private static Run cli(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = EntraBackup.execute(args, environment, new PrintWriter(out), new PrintWriter(err), false);
    return new Run(status, out.toString(), err.toString());
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("keytool failed: " + output);
    }
  }
}
