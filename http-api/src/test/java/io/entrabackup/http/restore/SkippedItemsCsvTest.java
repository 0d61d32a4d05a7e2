package io.entrabackup.http.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SkippedItemsCsvTest {

  @Test
  void fieldsWithCommasQuotesOrLineBreaksAreQuotedAsRfc4180Says() {
    var item = new SkippedItem("users", "u1", "jobTitle", SkipReason.REFUSED, "Graph said \"no\", twice\r\nreally",
        Optional.of("Request_BadRequest"));
    assertEquals("objectType,objectId,item,reason,graphCode,message\r\n"
        + "users,u1,jobTitle,refused_by_graph,Request_BadRequest,\"Graph said \"\"no\"\", twice\r\nreally\"\r\n",
        SkippedItemsCsv.of(List.of(item)));
  }

  @Test
  void formulaLookalikesAreDefused() {
    assertEquals("'=cmd()", SkippedItemsCsv.field("=cmd()"));
    assertEquals("", SkippedItemsCsv.field(null));
  }

  @Test
  void everyFormulaLeadOwaspNamesIsDefused() {
    assertEquals("'+1", SkippedItemsCsv.field("+1"));
    assertEquals("'-1", SkippedItemsCsv.field("-1"));
    assertEquals("'@SUM(A1)", SkippedItemsCsv.field("@SUM(A1)"));
    // A spreadsheet skips a leading TAB or CR and runs the formula behind it.
    assertEquals("'\t=cmd()", SkippedItemsCsv.field("\t=cmd()"));
    assertEquals("\"'\r=cmd()\"", SkippedItemsCsv.field("\r=cmd()"));
  }
}
