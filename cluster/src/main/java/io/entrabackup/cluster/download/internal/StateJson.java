package io.entrabackup.cluster.download.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.entrabackup.cluster.snapshot.StoredVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A version's file in a download: its state pretty-printed, copied token by token from the stored texts (the
 * properties, then each reference set's chunks as one array) rather than parsed into a tree and written back,
 * which cost about as much as everything else a file needs. Same bytes as pretty-printing the parsed state.
 */
final class StateJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  /** Room for a typical user's pretty-printed state, so the buffer rarely grows. */
  private static final int INITIAL_BYTES = 4096;

  private StateJson() {}

  static byte[] of(StoredVersion version) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(INITIAL_BYTES);
    try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
      out.setPrettyPrinter(new DefaultPrettyPrinter());
      out.writeStartObject();
      copyFields(version.properties(), out);
      for (var relation : version.references().entrySet()) {
        out.writeArrayFieldStart(relation.getKey());
        copyElements(relation.getValue(), out);
        out.writeEndArray();
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("the stored state of " + version.objectId() + " could not be written", e);
    }
    return bytes.toByteArray();
  }

  /** Copies the fields of a JSON object text into the object being written. */
  private static void copyFields(String object, JsonGenerator out) throws IOException {
    try (JsonParser in = FACTORY.createParser(object)) {
      expect(in.nextToken(), JsonToken.START_OBJECT);
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        out.copyCurrentStructure(in);
      }
    }
  }

  /** Copies the elements of JSON array texts, in order, into the array being written. */
  private static void copyElements(List<String> arrays, JsonGenerator out) throws IOException {
    for (String array : arrays) {
      try (JsonParser in = FACTORY.createParser(array)) {
        expect(in.nextToken(), JsonToken.START_ARRAY);
        while (in.nextToken() != JsonToken.END_ARRAY) {
          out.copyCurrentStructure(in);
        }
      }
    }
  }

  private static void expect(JsonToken token, JsonToken expected) throws IOException {
    if (token != expected) {
      throw new IOException("a stored snapshot is not the JSON expected: " + token + " instead of " + expected);
    }
  }
}
