package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreFailed;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import scala.concurrent.Await;
import scala.concurrent.Future;

/** The tenant's events as the journal writes them: sealed under its data key, and read back, as are old clear ones. */
class SealedTenantEventSerializerTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("sealedevents");

  private static final TenantId TENANT = new TenantId(UUID.randomUUID().toString());
  private static final TenantAuthorized AUTHORIZED = new TenantAuthorized(TENANT, AccountId.of("acct-1"),
      "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e", "Quillfeather Holdings", List.of("quillfeather.example"),
      Duration.ofDays(1), true, Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-06T10:00:00Z"));
  private static final RestoreFailed FAILED = new RestoreFailed(TENANT, AccountId.of("acct-1"),
      UUID.randomUUID().toString(), "Graph refused the member Zebulon Quartermaine", Instant.now(), GraphTraffic.NONE);

  private Serialization serialization() {
    return SerializationExtension.get(Adapter.toClassic(cassandra.testKit().system()));
  }

  private SealedTenantEventSerializer serializer() {
    return assertInstanceOf(SealedTenantEventSerializer.class, serialization().findSerializerFor(AUTHORIZED));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return Await.result(future, scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
  }

  @Test
  void theJournalsFormIsCiphertextThatReadsBackAsTheEvent() throws Exception {
    SealedTenantEventSerializer serializer = serializer();
    for (Object event : List.of(AUTHORIZED, FAILED)) {
      String manifest = serializer.manifest(event);
      byte[] stored = await(serializer.toBinaryAsync(event));
      String text = new String(stored, StandardCharsets.ISO_8859_1);
      assertFalse(text.contains("Quillfeather") || text.contains("Quartermaine"), "clear text in the journal's form");
      assertTrue(manifest.contains(TENANT.value()), "the manifest names the tenant whose key opens it");
      assertEquals(event, await(serializer.fromBinaryAsync(stored, manifest)));
      // Loaded by the journal's read, the key is in memory: a synchronous read opens it too.
      assertEquals(event, serializer.fromBinary(stored, manifest));
    }
  }

  @Test
  void aSealedEventDoesNotOpenAsAnotherClassOfEvent() throws Exception {
    SealedTenantEventSerializer serializer = serializer();
    byte[] stored = await(serializer.toBinaryAsync(FAILED));
    assertThrows(Exception.class, () -> await(serializer.fromBinaryAsync(stored, serializer.manifest(AUTHORIZED))));
  }

  @Test
  void messagesInMemoryAndEventsWrittenInClearBeforeStillRead() throws Exception {
    SealedTenantEventSerializer serializer = serializer();
    byte[] plain = serializer.toBinary(AUTHORIZED);
    assertEquals(AUTHORIZED, serializer.fromBinary(plain, serializer.manifest(AUTHORIZED)));
    assertEquals(AUTHORIZED, await(serializer.fromBinaryAsync(plain, serializer.manifest(AUTHORIZED))));
    // A journal row written before: jackson-cbor's id and manifest, read by jackson-cbor as before.
    var jackson = serialization().serializerByIdentity().apply(33);
    byte[] old = jackson.toBinary(AUTHORIZED);
    assertEquals(AUTHORIZED, serialization().deserialize(old, 33, Serializers.manifestFor(jackson, AUTHORIZED)).get());
  }

  @Test
  void aShreddedTenantsEventsReadAsItsTombstoneWhichIsWrittenWithoutItsKey() throws Exception {
    SealedTenantEventSerializer serializer = serializer();
    TenantId offboarded = new TenantId(UUID.randomUUID().toString());
    TenantAuthorized authorized = new TenantAuthorized(offboarded, AccountId.of("acct-1"),
        "2b7c5e0a-9d41-4f3e-8c6b-1a2d3e4f5a6b", "Ottoline Brightwater Ltd", List.of("brightwater.example"),
        Duration.ofDays(1), true, Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-06T10:00:00Z"));
    byte[] stored = await(serializer.toBinaryAsync(authorized));
    TenantKeyring.get(cassandra.testKit().system()).destroy(offboarded.value()).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    Object read = await(serializer.fromBinaryAsync(stored, serializer.manifest(authorized)));
    assertEquals(new TenantEvents.TenantPurged(offboarded, Instant.EPOCH), read,
        "unreadable, and read as the tombstone, so no reader stops on it or brings the tenant back");
    TenantEvents.TenantPurged tombstone = new TenantEvents.TenantPurged(offboarded, Instant.parse("2026-12-06T11:00:00Z"));
    byte[] written = await(serializer.toBinaryAsync(tombstone));
    assertEquals(tombstone, await(serializer.fromBinaryAsync(written, serializer.manifest(tombstone))));
  }
}
