package io.entrabackup.http.limits;

import io.entrabackup.http.ClientAddress;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.Problem;
import io.github.bucket4j.TimeMeter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API's request limits, per node (http-api/LIMITS.md): each API key has a token bucket of requests, and each
 * source address one of failed authentications, so one account's flood is refused before it reaches the cluster and
 * key guessing stays slow. A refusal is 429 with Retry-After and a problem document.
 */
public final class RequestRateLimit extends AllDirectives {

  /** Where a request without a known peer address is counted (never the case behind our server). */
  static final String UNKNOWN_ADDRESS = "unknown";

  private final TokenBuckets keys;
  private final TokenBuckets accounts;
  private final TokenBuckets addresses;
  private final TokenBuckets keyless;

  public RequestRateLimit(RequestLimitSettings settings) {
    this(settings, TimeMeter.SYSTEM_NANOTIME);
  }

  RequestRateLimit(RequestLimitSettings settings, TimeMeter time) {
    this.keys = new TokenBuckets(settings.requestsPerSecondPerKey(), settings.burstPerKey(),
        settings.maxTrackedCallers(), time);
    this.accounts = new TokenBuckets(settings.requestsPerSecondPerAccount(), settings.burstPerAccount(),
        settings.maxTrackedCallers(), time);
    this.addresses = new TokenBuckets(settings.failedAuthenticationsPerSecondPerAddress(),
        settings.failedAuthenticationBurstPerAddress(), settings.maxTrackedCallers(), time);
    this.keyless = new TokenBuckets(settings.requestsPerSecondPerAddress(), settings.burstPerAddress(),
        settings.maxTrackedCallers(), time);
  }

  /** No limit (route tests, and nodes configured with rates of 0). */
  public static RequestRateLimit unlimited() {
    return new RequestRateLimit(RequestLimitSettings.UNLIMITED);
  }

  /**
   * Before authenticating: an address that failed too often is answered 429 without its key being looked at, so a
   * guesser learns nothing, not even from a right guess. {@code inner} gets the address to report a failure for.
   */
  public Route beforeAuthentication(Function<String, Route> inner) {
    return extractRequest(request -> {
      String address = sourceAddress(request);
      return addresses.wait(address)
          .map(wait -> tooManyRequests(wait, "Too many failed authentications from this address; retry after "
              + seconds(wait) + " s with a valid API key"))
          .orElseGet(() -> inner.apply(address));
    });
  }

  /** A request from {@code address} failed to authenticate: it costs one of the address's tokens. */
  public Route afterFailedAuthentication(String address, Supplier<Route> unauthorized) {
    addresses.take(address);
    return unauthorized.get();
  }

  /**
   * An authenticated request: it costs one token of its key and one of its account, and is refused when either has
   * none. The account's bucket is what keeps an account from multiplying its rate by making keys.
   */
  public Route perKey(Caller caller, Supplier<Route> inner) {
    return keys.take(caller.account().value() + "/" + caller.keyId())
        .map(wait -> tooManyRequests(wait, "This API key made more than " + keys.rate()
            + " requests a second (bursts up to " + keys.burst() + ") on this node; retry after " + seconds(wait)
            + " s"))
        .or(() -> accounts.take(caller.account().value())
            .map(wait -> tooManyRequests(wait, "The keys of this account together made more than " + accounts.rate()
                + " requests a second (bursts up to " + accounts.burst() + ") on this node; retry after "
                + seconds(wait) + " s")))
        .orElseGet(inner);
  }

  /**
   * A request to a route without an API key (the consent callback, a signed download link): it costs one token of
   * its source address, and is answered {@code refusal} (with Retry-After) when the address has none.
   */
  public Route perAddress(Function<String, HttpResponse> refusal, Supplier<Route> inner) {
    return extractRequest(request -> keyless.take(sourceAddress(request))
        .map(wait -> respondWithHeader(RetryAfter.create(seconds(wait)), () -> complete(refusal.apply(
            "This address made more than " + keyless.rate() + " requests a second (bursts up to " + keyless.burst()
                + ") without an API key on this node; retry after " + seconds(wait) + " s"))))
        .orElseGet(inner));
  }

  /** As {@link #perAddress(Function, Supplier)}, refused with a problem document. */
  public Route perAddress(Supplier<Route> inner) {
    return perAddress(detail -> Problems.response(Problem.of("too-many-requests", "Too many requests", 429, detail)),
        inner);
  }

  private Route tooManyRequests(Duration wait, String detail) {
    return respondWithHeader(RetryAfter.create(seconds(wait)), () -> complete(Problems.response(
        Problem.of("too-many-requests", "Too many requests", 429, detail))));
  }

  /** Whole seconds, rounded up and at least 1 (Retry-After has no fractions; 0 would invite an instant retry). */
  static long seconds(Duration wait) {
    long whole = wait.toSeconds();
    return Math.max(1, wait.minusSeconds(whole).isZero() ? whole : whole + 1);
  }

  /**
   * The connection's peer (never a client-supplied header, which a guesser would vary); an IPv6 peer counts by its
   * /64, the block one subscriber gets, so rotating addresses inside it does not buy fresh guesses.
   */
  static String sourceAddress(HttpRequest request) {
    return ClientAddress.peer(request)
        .map(RequestRateLimit::addressKey)
        .orElse(UNKNOWN_ADDRESS);
  }

  static String addressKey(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] prefix = Arrays.copyOf(address.getAddress(), 8);
      return "v6:" + java.util.HexFormat.of().formatHex(prefix) + "/64";
    }
    return address.getHostAddress();
  }
}
