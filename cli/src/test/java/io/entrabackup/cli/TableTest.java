package io.entrabackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsArePaddedToTheirWidestCellUnderACapitalHeader() {
    Table table = Table.of("id", "name", "status")
        .row("t-1", "Contoso", "authorized")
        .row("t-22", "A", "pending_authorization");
    assertEquals(List.of(
        "ID    NAME     STATUS",
        "t-1   Contoso  authorized",
        "t-22  A        pending_authorization"), table.lines());
  }

  @Test
  void controlCharactersFromTheServerNeverReachTheTerminal() {
    Table table = Table.of("name").row("Evil\u001b[2J\rName\nX\u202e");
    assertEquals("Evil [2J Name X", table.lines().get(1));
  }

  @Test
  void longCellsAreCutWithAnEllipsisAndEmptyTablesSaySo() {
    String cell = Table.of("x").row("y".repeat(100)).lines().get(1);
    assertEquals(Table.MAX_CELL, cell.length());
    assertEquals('…', cell.charAt(Table.MAX_CELL - 1));
    StringWriter text = new StringWriter();
    Table.of("a", "b").print(new PrintWriter(text, true));
    assertEquals("A  B" + System.lineSeparator() + "(none)" + System.lineSeparator(), text.toString());
  }

  @Test
  void aRowHasOneCellPerColumn() {
    assertThrows(IllegalArgumentException.class, () -> Table.of("a", "b").row("only one"));
  }

  @Test
  void nullCellsAreEmpty() {
    assertEquals("x", Table.of("a", "b").row("x", null).lines().get(1));
  }
}
