package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fetches a ready download into {@code <file>.part}, resuming what an earlier fetch left there, and makes it
 * {@code <file>} only once its size and SHA-256 equal what the job states ({@code download.sizeBytes},
 * {@code download.sha256}, also the content's ETag). A resumed partial file that was corrupt shows as a mismatch:
 * it is fetched again from the start, once.
 */
final class DownloadFetch {

  /** What a server-given file name may be before it becomes a path here: no directories, no hidden files. */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,150}");

  private final ApiClient api;
  private final Output out;

  DownloadFetch(ApiClient api, Output out) {
    this.api = api;
    this.out = out;
  }

  int fetch(String jobId, Optional<Path> output) {
    JsonNode job = api.get("/api/v1/jobs/" + ApiClient.segment(jobId)).json();
    JsonNode download = job.path("download");
    if (!"download".equals(job.path("kind").asText())) {
      throw new CliFailure(ExitCode.USAGE, "job " + Text.clean(jobId) + " is not a download");
    }
    String state = job.path("state").asText();
    if (!"completed".equals(state)) {
      throw new CliFailure(ExitCode.CONFLICT, "download " + Text.clean(jobId) + " is " + Text.clean(state)
          + ", not ready; wait for it: entra-backup download wait " + Text.clean(jobId));
    }
    if (!download.hasNonNull("link")) {
      throw new CliFailure(ExitCode.NOT_FOUND, "the link of download " + Text.clean(jobId)
          + " has expired; create the download again");
    }
    String sha256 = download.path("sha256").asText("").toLowerCase(java.util.Locale.ROOT);
    long size = download.path("sizeBytes").asLong(-1);
    if (!sha256.matches("[0-9a-f]{64}") || size < 0) {
      throw new CliFailure(ExitCode.FAILED, "the server states no SHA-256 and size for download " + Text.clean(jobId)
          + "; refusing to fetch what cannot be checked");
    }
    Path target = output.orElseGet(() -> Path.of(fileName(download.path("fileName").asText(""), jobId)));
    Path part = target.resolveSibling(target.getFileName() + ".part");
    if (Files.exists(target)) {
      throw new CliFailure(ExitCode.CONFLICT, target + " exists; remove it or choose another with -o");
    }
    Result result = attempt(download.get("link").asText(), part, size, sha256);
    if (!result.matches() && result.resumedFrom() > 0) {
      out.note("entra-backup: " + part + " did not match the download's SHA-256 after resuming at "
          + result.resumedFrom() + " bytes (the partial file was corrupt); fetching it again from the start");
      delete(part);
      result = attempt(download.get("link").asText(), part, size, sha256);
    }
    if (!result.matches()) {
      delete(part);
      throw new CliFailure(ExitCode.FAILED, "SHA-256 mismatch: the server states " + sha256 + " (" + size
          + " bytes), the fetched file has " + result.sha256() + " (" + result.size() + " bytes); nothing kept");
    }
    move(part, target);
    report(jobId, target, size, sha256, result);
    return ExitCode.OK;
  }

  /** A fetched file's size and SHA-256, and where this fetch started (0: from the beginning). */
  record Result(long size, String sha256, long resumedFrom, boolean matches) {}

  private Result attempt(String link, Path part, long size, String sha256) {
    long have = exists(part) ? sizeOf(part) : 0;
    if (have > size) {
      out.note("entra-backup: " + part + " is longer than the download; fetching it again from the start");
      delete(part);
      have = 0;
    }
    long resumedFrom = have;
    if (have < size) {
      Map<String, String> headers = new LinkedHashMap<>();
      if (have > 0) {
        headers.put("Range", "bytes=" + have + "-");
        // The server sends the rest only if its file is still the one whose SHA-256 we expect; else all of it.
        headers.put("If-Range", "\"" + sha256 + "\"");
      }
      HttpResponse<InputStream> response = api.content(link, headers);
      boolean partial = response.statusCode() == 206;
      if (have > 0 && !partial) {
        out.note("entra-backup: the server sent the whole file, not the rest; starting " + part + " again");
        resumedFrom = 0;
      } else if (have > 0) {
        out.note("entra-backup: resuming " + part + " at " + have + " of " + size + " bytes");
      }
      write(response, part, partial);
    }
    String actual = sha256Of(part);
    long actualSize = sizeOf(part);
    return new Result(actualSize, actual, resumedFrom, actualSize == size && actual.equals(sha256));
  }

  private static void write(HttpResponse<InputStream> response, Path part, boolean append) {
    StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try (InputStream in = response.body();
        OutputStream file = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      in.transferTo(file);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "the download broke off (" + Text.clean(e.getMessage())
          + "); what arrived is kept in " + part + ": fetch again to resume");
    }
  }

  private void report(String jobId, Path target, long size, String sha256, Result result) {
    if (out.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("jobId", jobId);
      json.put("file", target.toString());
      json.put("sizeBytes", size);
      json.put("sha256", sha256);
      json.put("resumedFrom", result.resumedFrom());
      json.put("verified", true);
      try {
        out.line(ApiClient.JSON.writeValueAsString(json));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      out.line(target + "  " + size + " bytes  SHA-256 " + sha256 + " verified"
          + (result.resumedFrom() > 0 ? " (resumed at " + result.resumedFrom() + " bytes)" : ""));
    }
  }

  /** The server's file name when it is a plain one, else one of our own: a hostile name never escapes the folder. */
  static String fileName(String offered, String jobId) {
    return SAFE_NAME.matcher(offered).matches() && !offered.contains("..")
        ? offered
        : "download-" + jobId.replaceAll("[^A-Za-z0-9-]", "") + ".zip";
  }

  static String sha256Of(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new CliFailure(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean exists(Path file) {
    return Files.isRegularFile(file);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.FAILED, "cannot delete " + file + ": " + e.getMessage());
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.FAILED, "cannot rename " + from + " to " + to + ": " + e.getMessage());
    }
  }
}
