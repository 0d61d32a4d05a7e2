package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import java.util.List;
import java.util.Random;

/**
 * Signed download links replayed and altered: A's link as it is (valid, the control), with its signature, expiry or
 * job changed, its parameters dropped, doubled or reordered, on B's download job; B's link altered, or with A's key.
 */
final class SignedLinks implements FuzzCategory {

  @Override
  public String name() {
    return "signed-links";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    String link = targets.linkA();
    String signature = param(link, "signature");
    String expires = param(link, "expires");
    return switch (random.nextInt(10)) {
      case 0 -> FuzzRequest.of(name(), Expect.OK, "GET", link);
      case 1 -> refused(link.replace("signature=" + signature, "signature="
          + Hostile.encode(Hostile.altered(random, signature))));
      case 2 -> refused(link.replace("expires=" + expires, "expires=" + (Long.parseLong(expires)
          + 1 + random.nextInt(1_000_000))));
      case 3 -> refused(link.replace(targets.downloadJobA(), Hostile.pick(random, List.of(targets.downloadJobB(),
          targets.backupJobA(), targets.backupJobB()))));
      case 4 -> refused(Hostile.pick(random, List.of(link.replaceAll("[?&]signature=[^&]*", ""),
          link.replaceAll("expires=[^&]*&?", ""), link.substring(0, link.indexOf('?')),
          link.replace("signature=", "signature=" + nonEmpty(Hostile.segment(random))))));
      // A second expires or signature after the valid ones: the first of each is read, so the link still holds.
      case 5 -> either(link + (random.nextBoolean() ? "&expires=" + (Long.parseLong(expires) + 86_400)
          : "&signature=" + Hostile.encode(Hostile.altered(random, signature))));
      case 6 -> refused(targets.linkB().replace("signature=" + param(targets.linkB(), "signature"), "signature="
          + Hostile.encode(Hostile.altered(random, param(targets.linkB(), "signature")))));
      case 7 -> refused(targets.linkB()).withKey(targets.keyA());
      case 8 -> refused(targets.linkB().replace(targets.downloadJobB(), targets.downloadJobA()));
      default -> refused(link.replace("signature=" + signature, "signature=" + Hostile.pick(random, List.of("",
          "AAAA", signature.toUpperCase(), signature.toLowerCase(), signature + "=", signature + "%3D%3D",
          signature.replace('-', '+').replace('_', '/'), "null", Hostile.encode(Hostile.huge(random)))
          .stream().filter(other -> !other.equals(signature)).toList())));
    };
  }

  /** Junk to put before a signature: never nothing, which would leave the link as it was. */
  private static String nonEmpty(String junk) {
    return junk.isEmpty() ? "%00" : junk;
  }

  static String param(String link, String name) {
    String query = link.substring(link.indexOf('?') + 1);
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + name + " in " + link);
  }

  private FuzzRequest refused(String path) {
    return FuzzRequest.of(name(), Expect.REFUSED, "GET", path);
  }

  private FuzzRequest either(String path) {
    return FuzzRequest.of(name(), Expect.EITHER, "GET", path);
  }
}
