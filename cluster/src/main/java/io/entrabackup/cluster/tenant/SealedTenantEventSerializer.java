package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.crypto.Aad;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.crypto.TenantKeyDestroyed;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantEvents;
import java.io.NotSerializableException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.AsyncSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The tenant's events as the journal stores them: their CBOR (as {@code jackson-cbor} writes it) sealed under the
 * tenant's data key, so the organization, restore errors and every other text an event carries is ciphertext in the
 * journal, its tag views and the projections' reads (reasoning in {@code cluster/ENCRYPTION-DATA.md}).
 *
 * <p>The journal (pekko-persistence-cassandra) serializes through {@link AsyncSerializer}, so the tenant's key is
 * loaded with {@link TenantKeyring#cipherFor} without blocking anyone. The synchronous methods serve messages in memory
 * and on the wire (the persistence test kit's checks, a reply carrying an event), which are not at rest: they write the
 * plain CBOR. Both forms read back: a sealed payload starts with the cipher's format byte {@code 1}, which a CBOR
 * object (a map, {@code 0xA0}..{@code 0xBF}) never does; events written in clear before this serializer existed carry
 * {@code jackson-cbor}'s own serializer id and are read by it.
 *
 * <p>The manifest is {@code t1|<tenant id>|<jackson-cbor manifest>}: the tenant whose key opens the payload, and the
 * event's class. The ciphertext's header names the data key version.
 */
public final class SealedTenantEventSerializer extends SerializerWithStringManifest implements AsyncSerializer {

  /** Registered in reference.conf (pekko.actor.serialization-identifiers); never reuse or change it. */
  public static final int IDENTIFIER = 18_001;
  private static final String PREFIX = "t1|";
  private static final byte SEALED = 1;

  private final ExtendedActorSystem system;
  private final JacksonCborSerializer cbor;
  private volatile TenantKeyring keyring;

  public SealedTenantEventSerializer(ExtendedActorSystem system) {
    this.system = system;
    this.cbor = new JacksonCborSerializer(system, "jackson-cbor");
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object event) {
    return PREFIX + tenantOf(event) + "|" + cbor.manifest(event);
  }

  /** Plain CBOR: for messages in memory and in transit, never the journal (see the class comment). */
  @Override
  public byte[] toBinary(Object event) {
    return cbor.toBinary(event);
  }

  @Override
  public Future<byte[]> toBinaryAsync(Object event) {
    String tenant = tenantOf(event);
    String inner = cbor.manifest(event);
    if (event instanceof TenantEvents.TenantPurged) {
      // The tombstone holds the tenant id and a time, nothing of the directory; it is written after the tenant's key
      // was destroyed, so it could not be sealed.
      return Future.successful(cbor.toBinary(event));
    }
    return FutureConverters.asScala(keyring().cipherFor(tenant).thenApply(cipher -> {
      byte[] plain = cbor.toBinary(event);
      return cipher.sealing() ? cipher.seal(plain, aad(inner)) : plain;
    }).toCompletableFuture());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Manifest parsed = Manifest.parse(manifest);
    if (!sealed(bytes)) {
      return cbor.fromBinary(bytes, parsed.inner());
    }
    TenantCipher cipher = keyring().cachedCipher(parsed.tenant()).orElseThrow(() -> new NotSerializableException(
        "the data key of tenant " + parsed.tenant() + " is not loaded: sealed events are read through the journal"));
    return open(cipher, bytes, parsed);
  }

  @Override
  public Future<Object> fromBinaryAsync(byte[] bytes, String manifest) {
    CompletionStage<Object> event;
    try {
      Manifest parsed = Manifest.parse(manifest);
      event = sealed(bytes)
          ? keyring().cipherFor(parsed.tenant())
              .<Object>thenApply(cipher -> open(cipher, bytes, parsed))
              .exceptionally(error -> shredded(parsed, error))
          : CompletableFuture.completedFuture(cbor.fromBinary(bytes, parsed.inner()));
    } catch (NotSerializableException | RuntimeException e) {
      event = CompletableFuture.failedFuture(e);
    }
    return FutureConverters.asScala(event.toCompletableFuture());
  }

  /**
   * An event of a tenant whose key was destroyed (offboarded) reads as its tombstone: nothing of it can be read any
   * more, and whoever still meets it (the journal's cleanup, a projection behind, a replay before the journal was
   * emptied under the tombstone) must neither stop on it nor bring the tenant back.
   */
  private static Object shredded(Manifest parsed, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TenantKeyDestroyed) {
      return new TenantEvents.TenantPurged(new TenantId(parsed.tenant()), Instant.EPOCH);
    }
    throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
  }

  private Object open(TenantCipher cipher, byte[] bytes, Manifest parsed) {
    return cbor.fromBinary(cipher.open(bytes, aad(parsed.inner())), parsed.inner());
  }

  private static boolean sealed(byte[] bytes) {
    return bytes.length > 0 && bytes[0] == SEALED;
  }

  /** Sealed for the journal and this event class: a payload cannot be read back as another class of event. */
  private static byte[] aad(String innerManifest) {
    return Aad.of("journal.tenant-event", innerManifest);
  }

  private static String tenantOf(Object event) {
    if (event instanceof TenantEvents.Event tenantEvent) {
      return tenantEvent.tenantId().value();
    }
    throw new IllegalArgumentException("not a tenant event: " + event.getClass().getName());
  }

  private TenantKeyring keyring() {
    TenantKeyring loaded = keyring;
    if (loaded == null) {
      // Looked up on first use: serializers are made while the actor system starts, before extensions may be.
      loaded = TenantKeyring.get(Adapter.toTyped(system));
      keyring = loaded;
    }
    return loaded;
  }

  private record Manifest(String tenant, String inner) {
    static Manifest parse(String manifest) throws NotSerializableException {
      int split = manifest.indexOf('|', PREFIX.length());
      if (!manifest.startsWith(PREFIX) || split < 0) {
        throw new NotSerializableException("not a sealed tenant event manifest: " + manifest);
      }
      return new Manifest(manifest.substring(PREFIX.length(), split), manifest.substring(split + 1));
    }
  }
}
