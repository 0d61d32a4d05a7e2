package io.entrabackup.http.download;

import static io.entrabackup.http.auth.RequireScope.require;

import io.entrabackup.protocol.account.Scope;
import io.entrabackup.http.ApiJson;
import io.entrabackup.http.RequestIds;
import io.entrabackup.http.ClientAddress;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.PathIds;
import io.entrabackup.http.Problems;
import io.entrabackup.http.auth.Authenticator;
import io.entrabackup.http.download.ByteRanges.Part;
import io.entrabackup.http.download.ByteRanges.Unsatisfiable;
import io.entrabackup.http.download.ByteRanges.Whole;
import io.entrabackup.http.job.StartedJob;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.download.ContentAccess.Denied;
import io.entrabackup.protocol.download.ContentAccess.Granted;
import io.entrabackup.protocol.download.DownloadAccess;
import io.entrabackup.protocol.download.DownloadRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.DateTime;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.AcceptRanges;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.model.headers.ContentRange;
import org.apache.pekko.http.javadsl.model.headers.ETag;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.model.headers.LastModified;
import org.apache.pekko.http.javadsl.model.headers.RangeUnits;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Downloads: {@code POST /tenants/{id}/downloads} starts a job (behind the API key); {@code GET
 * /downloads/{job}/content} serves a ready ZIP to whoever holds its signed link, with single-range
 * requests (206, If-Range against the SHA-256 ETag) so an interrupted download resumes. Every fetch is
 * audited before a byte is sent.
 */
public final class DownloadRoutes extends AllDirectives {

  private static final ContentType ZIP = MediaTypes.applicationBinary("zip", false).toContentType();

  private final DownloadClient downloads;
  private final Authenticator authenticator;
  private final HttpSettings settings;
  private final Clock clock;

  public DownloadRoutes(DownloadClient downloads, Authenticator authenticator, HttpSettings settings, Clock clock) {
    this.downloads = downloads;
    this.authenticator = authenticator;
    this.settings = settings;
    this.clock = clock;
  }

  /** {@code /downloads/{job}/content}: the signed link is the credential, no API key needed. */
  public Route contentRoutes() {
    return pathPrefix("downloads", () -> pathPrefix(PathMatchers.segment(), jobId ->
        path("content", () -> get(() -> content(jobId)))));
  }

  /** {@code /tenants/{id}/downloads}, for an authenticated caller. */
  public Route routes(Caller caller) {
    return pathPrefix("tenants", () -> pathPrefix(PathMatchers.segment(), tenantText ->
        path("downloads", () -> post(() -> require(caller, Scope.OPERATE, () ->
            PathIds.withTenantId(tenantText, tenant -> start(caller, tenant)))))));
  }

  private Route start(Caller caller, TenantId tenant) {
    return ApiJson.withBody(settings, DownloadRequest.class, request -> {
      var validated = request.validate();
      if (validated.problem().isPresent()) {
        return complete(Problems.badRequest(validated.problem().get()));
      }
      return RequestIds.requestId(requestId -> onSuccess(downloads.start(caller, tenant,
          validated.spec().orElseThrow(), requestId), this::started));
    });
  }

  private Route started(DownloadClient.Outcome outcome) {
    if (outcome instanceof DownloadClient.Outcome.Started started) {
      return complete(new StartedJob(started.job()).accepted());
    }
    if (outcome instanceof DownloadClient.Outcome.NotFound notFound) {
      return complete(Problems.notFound(notFound.detail()));
    }
    if (outcome instanceof DownloadClient.Outcome.Refused refused) {
      return complete(Problems.conflict(refused.detail()));
    }
    return complete(Problems.badRequest(((DownloadClient.Outcome.Invalid) outcome).detail()));
  }

  private Route content(String jobId) {
    if (!PathIds.isJobId(jobId)) {
      return complete(Problems.notFound("No download " + jobId));
    }
    return parameterOptional("expires", expiresText -> parameterOptional("signature", signature ->
        optionalHeaderValueByName("Authorization", authorization -> {
          Optional<Long> expires = expiresText.flatMap(DownloadRoutes::parseLong);
          if (expires.isEmpty() || signature.isEmpty()) {
            return complete(problem(new Denied(403, "Forbidden", "A download link needs its expires and signature")));
          }
          if (authorization.isEmpty()) {
            return open(jobId, expires.get(), signature.get(), Optional.empty());
          }
          return onSuccess(authenticator.authenticate(authorization), caller -> caller
              .map(found -> open(jobId, expires.get(), signature.get(), Optional.of(found.account())))
              .orElseGet(() -> complete(problem(new Denied(401, "Unauthorized",
                  "The API key sent with this link is not valid; send the link alone or a valid key")))));
        })));
  }

  private Route open(String jobId, long expires, String signature, Optional<AccountId> caller) {
    return onSuccess(downloads.open(jobId, expires, signature, caller), access -> access instanceof Granted file
        ? serve(file, caller)
        : complete(problem((Denied) access)));
  }

  private Route serve(Granted file, Optional<AccountId> caller) {
    return optionalHeaderValueByName("Range", range -> optionalHeaderValueByName("If-Range", ifRange ->
        // The connection's peer, as the request limits see it: Pekko's extractClientIP believes any X-Forwarded-For.
        optionalHeaderValueByName("User-Agent", agent -> extractRequest(request -> {
          String etag = "\"" + file.sha256() + "\"";
          // If-Range with anything but our current ETag: the client's partial copy is stale, send it all.
          Optional<String> honoured = ifRange.isPresent() && !ifRange.get().strip().equals(etag)
              ? Optional.empty()
              : range;
          var access = new DownloadAccess(clock.instant(), caller.map(a -> "account:" + a.value()).orElse("link"),
              honoured, client(ClientAddress.peer(request), agent));
          return onSuccess(downloads.audit(file.jobId(), access), done -> complete(response(file, honoured)));
        }))));
  }

  private HttpResponse response(Granted file, Optional<String> range) {
    long size = file.sizeBytes();
    List<HttpHeader> headers = List.of(
        AcceptRanges.create(RangeUnits.BYTES),
        ETag.create(EntityTag.create(file.sha256(), false)),
        LastModified.create(DateTime.create(file.publishedAt().toEpochMilli())),
        ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, Map.of("filename", file.fileName())),
        CacheControl.create(CacheDirectives.PRIVATE(), CacheDirectives.NO_STORE));
    var answer = ByteRanges.resolve(range, size);
    if (answer instanceof Unsatisfiable) {
      return Problems.response(Problem.of("range-not-satisfiable", "Range not satisfiable", 416,
              "The file has " + size + " bytes"))
          .addHeader(ContentRange.create(RangeUnits.BYTES,
              org.apache.pekko.http.javadsl.model.ContentRange.createUnsatisfiable(size)));
    }
    if (answer instanceof Part part) {
      return HttpResponse.create().withStatus(StatusCodes.PARTIAL_CONTENT).addHeaders(headers)
          .addHeader(ContentRange.create(RangeUnits.BYTES,
              org.apache.pekko.http.javadsl.model.ContentRange.create(part.from(), part.to() - 1, size)))
          .withEntity(HttpEntities.create(ZIP, part.to() - part.from(),
              downloads.content(file, part.from(), part.to())));
    }
    assert answer instanceof Whole;
    return HttpResponse.create().withStatus(StatusCodes.OK).addHeaders(headers)
        .withEntity(HttpEntities.create(ZIP, size, downloads.content(file, 0, size)));
  }

  private static Optional<String> client(Optional<InetAddress> address, Optional<String> agent) {
    String host = address.map(InetAddress::getHostAddress).orElse("");
    String text = (host + " " + agent.orElse("")).strip();
    return text.isEmpty() ? Optional.empty() : Optional.of(text.length() > 200 ? text.substring(0, 200) : text);
  }

  private static HttpResponse problem(Denied denied) {
    String type = switch (denied.status()) {
      case 401 -> "unauthorized";
      case 403 -> "download-link-invalid";
      case 410 -> "download-expired";
      default -> "not-found";
    };
    return Problems.response(Problem.of(type, denied.title(), denied.status(), denied.detail()));
  }

  private static Optional<Long> parseLong(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
