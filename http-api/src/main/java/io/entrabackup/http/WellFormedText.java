package io.entrabackup.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * Reads a JSON string as {@link StringDeserializer} does, and refuses one that is not well-formed Unicode (a lone
 * surrogate, which JSON's {@code \uD800} escape can carry). Such text would be taken here and then fail to be written
 * (an event, a problem document), so it is the sender's 400 now rather than a 5xx later.
 */
final class WellFormedText extends StdScalarDeserializer<String> {

  static final String REFUSAL = "is not well-formed Unicode text (it holds a lone surrogate)";

  WellFormedText() {
    super(String.class);
  }

  @Override
  public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    String text = StringDeserializer.instance.deserialize(parser, context);
    if (text != null && !isWellFormed(text)) {
      throw JsonMappingException.from(parser, REFUSAL, new IllegalArgumentException(REFUSAL));
    }
    return text;
  }

  static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} with each lone surrogate replaced by U+FFFD, so that it can be written as UTF-8 JSON. */
  static String wellFormed(String text) {
    if (text == null || isWellFormed(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }
}
