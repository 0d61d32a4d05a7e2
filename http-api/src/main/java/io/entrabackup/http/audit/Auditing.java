package io.entrabackup.http.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.http.ApiJson;
import io.entrabackup.http.ClientAddress;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the API meets the audit trail: directives that {@code ApiRoutes} puts around the authenticated routes, the
 * unauthenticated answer, the signed download link and the consent callback, and the audit list itself. An audited
 * request is recorded once its answer is known and before it is sent, so a client that lists the trail right after
 * finds its action there. A record that cannot be appended is logged, never turned into a failed request: the action
 * has happened by then.
 */
public final class Auditing extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(Auditing.class);
  /** Largest answer body read for the id of what was created (a key, an account). */
  private static final int MAX_BODY_READ = 16 * 1024;

  private final Optional<AuditClient> client;
  private final AuditSettings settings;
  private final Clock clock;
  private final ClientAddress addresses;
  private final KeyAddresses keyAddresses;
  private final OncePerWindow failedAuthentications;
  private final OncePerWindow refusedLinks;
  private final Optional<AuditRoutes> routes;

  private Auditing(Optional<AuditClient> client, AuditSettings settings, Optional<AuditRoutes> routes, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.routes = routes;
    this.addresses = new ClientAddress(settings.trustedProxies());
    this.keyAddresses = new KeyAddresses(settings.rememberedAddresses());
    this.failedAuthentications = new OncePerWindow(settings.failedAuthenticationBurst(),
        settings.failedAuthenticationWindow(), settings.rememberedAddresses(), clock);
    // A refused consent callback or download link is recorded once per address and window.
    this.refusedLinks = new OncePerWindow(1, settings.failedAuthenticationWindow(), settings.rememberedAddresses(),
        clock);
  }

  /** Records into {@code client}'s trail and serves {@code GET /audit}. */
  public static Auditing of(AuditClient client, AuditSettings settings, io.entrabackup.http.HttpSettings http,
      Clock clock) {
    return new Auditing(Optional.of(client), settings, Optional.of(new AuditRoutes(client, http)), clock);
  }

  /** No audit trail (route tests): every directive passes its route through, {@code /audit} does not exist. */
  public static Auditing off() {
    return new Auditing(Optional.empty(), new AuditSettings(Set.of(), 0, 1, java.time.Duration.ofMinutes(1), 1, 1,
        java.time.Duration.ZERO),
        Optional.empty(), Clock.systemUTC());
  }

  /** {@code GET /audit} and {@code GET /audit/verification}, for an authenticated caller. */
  public Route routes(Caller caller) {
    return routes.map(audit -> audit.routes(caller)).orElseGet(this::reject);
  }

  /** Around the routes of an authenticated caller: records audited requests and a key's first use from an address. */
  public Route authenticated(Caller caller, ExceptionHandler failures, Supplier<Route> inner) {
    if (client.isEmpty()) {
      return inner.get();
    }
    return extractRequest(request -> {
      Facts facts = facts(request);
      // Failures become their problem answer here, inside, so the record sees the status the caller gets.
      Route handled = handleExceptions(failures, inner);
      Route audited = AuditedRequests.match(request.method().value(), segments(request))
          .map(match -> mapRouteResultWith(result -> record(caller, facts, match, result), () -> handled))
          .orElse(handled);
      // Not waited for: a request never waits on Cassandra for this (it is recorded a moment later).
      noteAddress(caller, facts);
      return audited;
    });
  }

  /** Around the 401 answer: a burst of failures from one address is recorded once per window. */
  public Route unauthenticated(Supplier<Route> inner) {
    if (client.isEmpty()) {
      return inner.get();
    }
    return extractRequest(request -> {
      Facts facts = facts(request);
      if (!failedAuthentications.occurred(facts.source().orElse("unknown"))) {
        return inner.get();
      }
      return mapRouteResultWith(result -> append(draft(AuditEntry.INSTALL_TRAIL, Optional.empty(), facts,
              AuditAction.AUTHENTICATION_FAILURES,
              Map.of("failures", Integer.toString(settings.failedAuthenticationBurst()),
                  "window", settings.failedAuthenticationWindow().toString()), 401))
          .thenApply(done -> result), inner);
    });
  }

  /** Around {@code GET /downloads/{job}/content}: every fetch by signed link, and refused ones once per window. */
  public Route downloadContent(Supplier<Route> inner) {
    if (client.isEmpty()) {
      return inner.get();
    }
    return extractRequest(request -> {
      List<String> path = segments(request);
      if (!request.method().value().equals("GET") || path.size() != 3 || !path.get(0).equals("downloads")
          || !path.get(2).equals("content")) {
        return inner.get();
      }
      Facts facts = facts(request);
      String job = path.get(1);
      return mapRouteResultWith(result -> {
        int status = status(result);
        boolean fetched = status >= 200 && status < 300;
        String refusal = "download\n" + facts.source().orElse("") + "\n" + job;
        if (status == 0 || (!fetched && !refusedLinks.occurred(refusal))) {
          return done(result);
        }
        return client.get().downloadOwner(job).thenCompose(owner -> owner
            .map(found -> append(draft(found.account().value(), Optional.empty(), facts, AuditAction.DOWNLOAD_FETCHED,
                withRange(Map.of("job", job, "tenant", found.tenantId()), request), status)))
            .orElseGet(() -> done(null)))
            // The trail must never turn a download's answer into an error: a failed lookup is logged, not answered.
            .exceptionally(error -> {
              log.error("The owner of download {} could not be looked up for the audit trail: {}", job,
                  error.getMessage());
              return null;
            })
            .thenApply(done -> result);
      }, inner);
    });
  }

  /**
   * Around Microsoft's consent callback: a refused callback goes to the install's trail, once an address a window, and
   * to the trail of the account whose signed state it carries (only that account's operator could have had the
   * state), once an address, account and window.
   */
  public Route consentCallback(Supplier<Route> inner) {
    if (client.isEmpty()) {
      return inner.get();
    }
    return extractRequest(request -> {
      List<String> path = segments(request);
      if (!(path.size() == 2 && path.get(0).equals("auth") && path.get(1).equals("callback"))) {
        return inner.get();
      }
      Facts facts = facts(request);
      return mapRouteResultWith(result -> {
        int status = status(result);
        // 303 is consent completed or declined: the tenant's events record those in its account's trail.
        if (status < 400) {
          return done(result);
        }
        String source = facts.source().orElse("");
        List<CompletionStage<Void>> appends = new ArrayList<>();
        client.get().consentStateOwner(request.getUri().query().get("state").orElse(null))
            .filter(owner -> refusedLinks.occurred("consent\n" + source + "\n" + owner.account().value()))
            .ifPresent(owner -> appends.add(append(draft(owner.account().value(), Optional.empty(), facts,
                AuditAction.CONSENT_CALLBACK_REFUSED, Map.of("tenant", owner.tenantId()), status))));
        if (refusedLinks.occurred("consent\n" + source)) {
          appends.add(append(draft(AuditEntry.INSTALL_TRAIL, Optional.empty(), facts,
              AuditAction.CONSENT_CALLBACK_REFUSED, Map.of(), status)));
        }
        return CompletableFuture.allOf(appends.stream().map(CompletionStage::toCompletableFuture)
            .toArray(CompletableFuture[]::new)).thenApply(done -> result);
      }, inner);
    });
  }

  private CompletionStage<RouteResult> record(Caller caller, Facts facts, AuditedRequests.Match match,
      RouteResult result) {
    if (!(result instanceof Complete complete)) {
      return done(result);
    }
    HttpResponse response = complete.getResponse();
    int status = response.status().intValue();
    Map<String, String> target = new TreeMap<>(match.target());
    Optional<String> created = createdIds(response, target);
    List<CompletionStage<Void>> appends = new ArrayList<>();
    for (String trail : trails(caller, match, status, target, created)) {
      Map<String, String> recorded = new TreeMap<>(target);
      if (!trail.equals(caller.account().value())) {
        recorded.put("byAccount", caller.account().value());
      }
      appends.add(append(draft(trail, Optional.of(caller.keyId()), facts, match.action(), recorded, status)));
    }
    return CompletableFuture.allOf(appends.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new)).thenApply(done -> result);
  }

  /**
   * The caller's own trail always; on success also the trail of the account the path names (an install administrator
   * managing another account's keys) and of an account just created. A refused request touches only the caller's
   * trail, so no one can write into another account's trail by naming it. Two exceptions, because a link being
   * replayed or altered is what its owner needs to see: a refused fetch of a download link goes to the trail of the
   * account that owns the download ({@link #downloadContent}, once per source address, job and minute, only for a job
   * that exists), and a refused consent callback whose state our keys signed to the account that state names
   * ({@link #consentCallback}, once per address and window).
   */
  private static Set<String> trails(Caller caller, AuditedRequests.Match match, int status, Map<String, String> target,
      Optional<String> createdAccount) {
    Set<String> trails = new LinkedHashSet<>();
    trails.add(caller.account().value());
    if (status >= 200 && status < 300) {
      Optional.ofNullable(match.target().get("account")).filter(Auditing::isAccountId).ifPresent(trails::add);
      createdAccount.filter(Auditing::isAccountId).ifPresent(trails::add);
    }
    return trails;
  }

  /** Adds the ids the answer names (its Location, a created key or account) to {@code target}; the created account. */
  private static Optional<String> createdIds(HttpResponse response, Map<String, String> target) {
    response.getHeader("Location").ifPresent(location -> {
      String[] parts = location.value().split("/");
      if (parts.length == 5 && parts[3].equals("jobs")) {
        target.put("job", parts[4]);
      } else if (parts.length == 5 && parts[3].equals("tenants")) {
        target.put("tenant", parts[4]);
      }
    });
    if (response.status().intValue() != 201 || !(response.entity() instanceof HttpEntity.Strict strict)
        || strict.getData().size() > MAX_BODY_READ) {
      return Optional.empty();
    }
    try {
      JsonNode body = ApiJson.MAPPER.readTree(strict.getData().toArray());
      JsonNode key = body.has("apiKey") ? body.get("apiKey") : body;
      if (key.hasNonNull("keyId")) {
        // A rotation names the key in its path and answers its successor.
        String made = key.get("keyId").asText();
        target.put(target.containsKey("key") && !target.get("key").equals(made) ? "newKey" : "key", made);
      }
      if (body.path("account").hasNonNull("id")) {
        String account = body.get("account").get("id").asText();
        target.put("account", account);
        return Optional.of(account);
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: nothing more to name.
    }
    return Optional.empty();
  }

  private CompletionStage<Void> noteAddress(Caller caller, Facts facts) {
    if (facts.source().isEmpty()) {
      return done(null);
    }
    String account = caller.account().value();
    String address = facts.source().get();
    if (!keyAddresses.remember(account, caller.keyId(), address)) {
      return done(null);
    }
    return client.get().firstUseFrom(caller.account(), caller.keyId(), address)
        .thenCompose(first -> first
            ? append(draft(account, Optional.of(caller.keyId()), facts, AuditAction.KEY_USED_FROM_NEW_ADDRESS,
                Map.of("key", caller.keyId()), 0))
            : done((Void) null))
        .exceptionally(error -> {
          keyAddresses.forget(account, caller.keyId(), address);
          log.warn("Could not check whether API key {} of account {} is used from a new address: {}",
              caller.keyId(), account, error.getMessage());
          return null;
        });
  }

  /**
   * Appends the record; the answer waits for it at most {@code answer-wait} (the append goes on after that), so a
   * slow Cassandra slows audited requests by a bounded time and never fails them.
   */
  private CompletionStage<Void> append(NewAuditRecord draft) {
    CompletableFuture<Void> appended = client.get().append(draft).<Void>handle((entry, error) -> {
      if (error != null) {
        log.error("Audit record {} of account {} could not be appended: {}", draft.action().apiName(), draft.trail(),
            error.getMessage());
      }
      return null;
    }).toCompletableFuture();
    return appended.copy().completeOnTimeout(null, settings.answerWait().toMillis(), TimeUnit.MILLISECONDS);
  }

  private NewAuditRecord draft(String trail, Optional<String> keyId, Facts facts, AuditAction action,
      Map<String, String> target, int status) {
    return new NewAuditRecord(trail, clock.instant(), keyId, facts.source(), facts.userAgent(), action, target,
        status == 0 ? AuditOutcome.SUCCESS : AuditOutcome.ofStatus(status), status);
  }

  private record Facts(Optional<String> source, Optional<String> userAgent) {}

  private Facts facts(HttpRequest request) {
    Optional<String> agent = request.getHeader("User-Agent").map(header -> header.value().strip())
        .filter(value -> !value.isEmpty())
        .map(value -> value.length() > settings.userAgentLength() ? value.substring(0, settings.userAgentLength())
            : value);
    return new Facts(addresses.of(request), agent);
  }

  private static Map<String, String> withRange(Map<String, String> target, HttpRequest request) {
    Map<String, String> with = new TreeMap<>(target);
    request.getHeader("Range").map(header -> header.value())
        .map(range -> range.length() > 100 ? range.substring(0, 100) : range)
        .ifPresent(range -> with.put("range", range));
    return with;
  }

  /** The path under {@code /api/v1} (or from the root, for other paths), one entry a segment, decoded. */
  private static List<String> segments(HttpRequest request) {
    List<String> segments = new ArrayList<>();
    request.getUri().pathSegments().forEach(segments::add);
    while (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
      segments.remove(segments.size() - 1);
    }
    if (segments.size() >= 2 && segments.get(0).equals("api") && segments.get(1).equals("v1")) {
      return List.copyOf(segments.subList(2, segments.size()));
    }
    return segments;
  }

  private static int status(RouteResult result) {
    return result instanceof Complete complete ? complete.getResponse().status().intValue() : 0;
  }

  private static boolean isAccountId(String text) {
    try {
      new AccountId(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
