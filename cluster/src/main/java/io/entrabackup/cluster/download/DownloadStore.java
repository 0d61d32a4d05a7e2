package io.entrabackup.cluster.download;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.entrabackup.cluster.crypto.Aad;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.download.BuiltFile;
import io.entrabackup.protocol.download.DownloadAccess;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import io.entrabackup.protocol.download.DownloadSpec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.util.ByteString;

/**
 * The download tables of {@code cql/downloads.cql}: what a job is of, its published file, its chunks
 * and the audit of who fetched it. Every read is one partition read.
 */
public final class DownloadStore {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new Jdk8Module()).addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** What a job is of, as stored when it was requested. */
  public record StoredJob(String jobId, AccountId account, TenantId tenant, DownloadSpec spec, Instant requestedAt) {}

  /** A ZIP whose every chunk is stored, servable until {@code expiresAt}. */
  public record PublishedFile(String jobId, AccountId account, BuiltFile file, String fileName, Instant publishedAt,
      Instant expiresAt) {}

  private final CassandraSession session;
  private final PreparedStatementCache insertJob;
  private final PreparedStatementCache selectJob;
  private final PreparedStatementCache insertFile;
  private final PreparedStatementCache selectFile;
  private final PreparedStatementCache insertChunk;
  private final PreparedStatementCache selectChunk;
  private final PreparedStatementCache insertAccess;
  private final PreparedStatementCache selectAccesses;

  public DownloadStore(CassandraSession session, String keyspace) {
    this.session = session;
    insertJob = prepare("INSERT INTO " + keyspace + ".download_jobs (job_id, account_id, tenant_id, spec, requested_at)"
        + " VALUES (?, ?, ?, ?, ?)");
    selectJob = prepare("SELECT account_id, tenant_id, spec, requested_at FROM " + keyspace
        + ".download_jobs WHERE job_id = ?");
    insertFile = prepare("INSERT INTO " + keyspace + ".download_files (job_id, account_id, build, chunk_size, chunks,"
        + " size_bytes, sha256, file_name, counts, published_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " USING TTL ?");
    selectFile = prepare("SELECT account_id, build, chunk_size, chunks, size_bytes, sha256, file_name, counts,"
        + " published_at, expires_at FROM " + keyspace + ".download_files WHERE job_id = ?");
    insertChunk = prepare("INSERT INTO " + keyspace + ".download_chunks (job_id, build, chunk_no, data)"
        + " VALUES (?, ?, ?, ?) USING TTL ?");
    selectChunk = prepare("SELECT data FROM " + keyspace + ".download_chunks WHERE job_id = ? AND build = ?"
        + " AND chunk_no = ?");
    insertAccess = prepare("INSERT INTO " + keyspace + ".download_audit (job_id, accessed_at, accessed_by, byte_range,"
        + " client) VALUES (?, ?, ?, ?, ?) USING TTL ?");
    selectAccesses = prepare("SELECT accessed_at, accessed_by, byte_range, client FROM " + keyspace
        + ".download_audit WHERE job_id = ? LIMIT ?");
  }

  private PreparedStatementCache prepare(String cql) {
    return new PreparedStatementCache(session, cql);
  }

  public CompletionStage<Done> recordJob(DownloadRequested job) {
    return write(insertJob, UUID.fromString(job.jobId()), job.account().value(), job.tenant().id().value(),
        toJson(job.spec()), job.requestedAt());
  }

  public CompletionStage<Optional<StoredJob>> job(String jobId) {
    return read(selectJob, UUID.fromString(jobId)).thenApply(row -> row.map(found -> new StoredJob(jobId,
        AccountId.of(found.getString("account_id")), TenantId.parse(found.getString("tenant_id")),
        fromJson(found.getString("spec")), found.getInstant("requested_at"))));
  }

  /** Where a chunk is stored, as the AAD it is sealed with: a chunk opens only in its own job, build and place. */
  public static byte[] chunkAad(String jobId, int build, long index) {
    return Aad.of("download_chunks.data", jobId, Integer.toString(build), Long.toString(index));
  }

  /** Stores one chunk (sealed by the builder, see {@link #chunkAad}); it disappears by itself after {@code ttl}. */
  public CompletionStage<Done> writeChunk(String jobId, int build, long index, ByteString data, Duration ttl) {
    return write(insertChunk, UUID.fromString(jobId), build, index, data.asByteBuffer(), seconds(ttl));
  }

  /** One chunk's bytes; fails when it is gone (expired) or was never written. */
  public CompletionStage<ByteString> readChunk(String jobId, int build, long index) {
    return read(selectChunk, UUID.fromString(jobId), build, index).thenApply(row -> {
      ByteBuffer data = row.map(found -> found.getByteBuffer("data")).orElseThrow(() -> new IllegalStateException(
          "chunk " + index + " of download " + jobId + " is not stored (expired?)"));
      return ByteString.fromByteBuffer(data);
    });
  }

  /** Publishes a built file: written only once every chunk is stored, with the chunks' remaining life. */
  public CompletionStage<Done> publish(PublishedFile published, Duration ttl) {
    BuiltFile file = published.file();
    return write(insertFile, UUID.fromString(published.jobId()), published.account().value(), file.build(),
        file.chunkSize(), file.chunks(), file.sizeBytes(), file.sha256(), published.fileName(), file.countsByType(),
        published.publishedAt(), published.expiresAt(), seconds(ttl));
  }

  public CompletionStage<Optional<PublishedFile>> file(String jobId) {
    return read(selectFile, UUID.fromString(jobId)).thenApply(row -> row.map(found -> new PublishedFile(jobId,
        AccountId.of(found.getString("account_id")),
        new BuiltFile(found.getInt("build"), found.getLong("size_bytes"), found.getString("sha256"),
            found.getInt("chunk_size"), found.getLong("chunks"), 0,
            found.getMap("counts", String.class, Long.class)),
        found.getString("file_name"), found.getInstant("published_at"), found.getInstant("expires_at"))));
  }

  public CompletionStage<Done> recordAccess(String jobId, DownloadAccess access, Duration retention) {
    return write(insertAccess, UUID.fromString(jobId), Uuids.startOf(access.at().toEpochMilli()), access.by(),
        access.range().orElse(null), access.client().orElse(null), seconds(retention));
  }

  /** The newest accesses first. */
  public CompletionStage<List<DownloadAccess>> accesses(String jobId, int limit) {
    return selectAccesses.get()
        .thenCompose(s -> session.selectAll(s.bind(UUID.fromString(jobId), limit)))
        .thenApply(rows -> rows.stream().map(row -> new DownloadAccess(
            Instant.ofEpochMilli(Uuids.unixTimestamp(row.getUuid("accessed_at"))), row.getString("accessed_by"),
            Optional.ofNullable(row.getString("byte_range")), Optional.ofNullable(row.getString("client")))).toList());
  }

  private CompletionStage<Done> write(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> session.executeWrite(prepared.bind(values)));
  }

  private CompletionStage<Optional<Row>> read(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> session.selectOne(prepared.bind(values)));
  }

  private static int seconds(Duration ttl) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, ttl.toSeconds()));
  }

  private static String toJson(DownloadSpec spec) {
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a download spec could not be written as JSON", e);
    }
  }

  private static DownloadSpec fromJson(String text) {
    try {
      return JSON.readValue(text, DownloadSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored download spec is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
