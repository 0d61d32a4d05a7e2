package io.entrabackup.cluster.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.account.KeyProvenance;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which keys may be the second pair of eyes on a request: not one the requester issued, nor its issuer, nor a newer one. */
class ApprovingKeysTest {

  private static final Instant YESTERDAY = Instant.parse("2026-07-14T09:00:00Z");
  private static final Instant ASKED = Instant.parse("2026-07-15T09:00:00Z");
  private static final KeyProvenance REQUESTER = new KeyProvenance("requester", YESTERDAY, List.of("first"));

  @Test
  void aKeyTheFirstKeyMadeBeforeTheRequestApprovesAnotherOfItsKeysRequest() {
    var approver = new KeyProvenance("approver", YESTERDAY, List.of("first"));
    assertEquals(Optional.empty(), ApprovingKeys.refusal(approver, Optional.of(REQUESTER), ASKED));
  }

  @Test
  void aKeyTheRequesterMadeOrRotatedIsRefusedEvenThroughAKeyItMade() {
    var made = new KeyProvenance("made", YESTERDAY, List.of("first", "requester"));
    var throughAnother = new KeyProvenance("grandchild", YESTERDAY, List.of("first", "requester", "made"));
    for (KeyProvenance approver : List.of(made, throughAnother)) {
      String refusal = ApprovingKeys.refusal(approver, Optional.of(REQUESTER), ASKED).orElseThrow();
      assertTrue(refusal.contains("made or rotated by key requester"), refusal);
    }
  }

  @Test
  void theKeyThatIssuedTheRequesterIsRefused() {
    var issuer = new KeyProvenance("first", YESTERDAY, List.of());
    String refusal = ApprovingKeys.refusal(issuer, Optional.of(REQUESTER), ASKED).orElseThrow();
    assertTrue(refusal.contains("was made or rotated by this key first"), refusal);
  }

  @Test
  void aKeyIssuedAtOrAfterTheRequestIsRefused() {
    for (Instant issued : List.of(ASKED, ASKED.plusSeconds(1))) {
      var fresh = new KeyProvenance("fresh", issued, List.of("other"));
      String refusal = ApprovingKeys.refusal(fresh, Optional.of(REQUESTER), ASKED).orElseThrow();
      assertTrue(refusal.contains("after this job was asked for"), refusal);
    }
  }

  @Test
  void aRequesterWhoseKeyIsGoneStillCannotBeApprovedByAKeyItIssued() {
    var made = new KeyProvenance("made", YESTERDAY, List.of("requester"));
    assertTrue(ApprovingKeys.refusal(made, Optional.empty(), ASKED).isEmpty(),
        "without the requester's id nothing ties them; ClusterApprovalClient always passes the id it knows");
  }
}
