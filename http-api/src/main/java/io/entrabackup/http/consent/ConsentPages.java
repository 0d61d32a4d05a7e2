package io.entrabackup.http.consent;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;

/**
 * The small HTML pages a tenant admin's browser sees around admin consent. They carry no data beyond
 * the outcome: the admin is not signed in to entra-backup.
 */
final class ConsentPages {

  private ConsentPages() {}

  static HttpResponse page(StatusCode status, String title, String message) {
    return page(status, title, message, null, null);
  }

  /** With a link (the operator's way on into the portal; the tenant admin can ignore it). */
  static HttpResponse page(StatusCode status, String title, String message, String href, String linkText) {
    String link = href == null ? "" : "<p><a href=\"" + escape(href) + "\">" + escape(linkText) + "</a></p>";
    String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>entra-backup: "
        + escape(title) + "</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;"
        + "padding:0 1rem;color:#222}h1{font-size:1.4rem}</style></head><body><h1>" + escape(title) + "</h1><p>"
        + escape(message) + "</p>" + link + "</body></html>";
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, html));
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
