package io.entrabackup.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.delta.DeltaGetResponse;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.entrabackup.simulator.SimulatorFixture;
import java.net.URI;
import java.security.KeyStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Microsoft Graph Java SDK 6.69.0 against the simulator: it calls /users/delta() and follows our links. */
class GraphSdkConformanceTest {
  @RegisterExtension
  static final SimulatorFixture f = new SimulatorFixture(b -> b.users(450).groups(30));
  static GraphServiceClient graph;

  @BeforeAll
  static void connectTheSdk() throws Exception {
    String token = f.token();
    AccessTokenProvider tokens = new AccessTokenProvider() {
      @Override
      public String getAuthorizationToken(URI uri, Map<String, Object> context) {
        return token;
      }

      @Override
      public AllowedHostsValidator getAllowedHostsValidator() {
        return new AllowedHostsValidator("127.0.0.1");
      }
    };
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(f.sim.trustStorePath())) {
      trust.load(in, f.sim.trustStorePassword().toCharArray());
    }
    tmf.init(trust);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(tokens);
    OkHttpClient http = GraphClientFactory.create(auth).sslSocketFactory(f.sim.sslContext().getSocketFactory(), tm).build();
    graph = new GraphServiceClient(auth, http);
    graph.getRequestAdapter().setBaseUrl(f.sim.graphBaseUrl());
  }

  @Test
  void theSdksUsersDeltaCrawlsEveryUserAndEndsWithADeltaLink() {
    DeltaGetResponse page = graph.users().delta().get(r -> r.queryParameters.select = new String[] {"displayName", "jobTitle"});
    Set<String> ids = new HashSet<>();
    int pages = 0;
    while (true) {
      pages++;
      page.getValue().forEach(u -> ids.add(u.getId()));
      if (page.getOdataNextLink() == null) {
        break;
      }
      page = graph.users().delta().withUrl(page.getOdataNextLink()).get();
    }
    assertEquals(450, ids.size());
    assertTrue(f.sim.admin().stats().get("byEndpointAndStatus").toString().contains("GET /v1.0/users/delta() 200"),
        "the SDK asks for delta() with parentheses");
    assertEquals(3, pages);
    String deltaLink = page.getOdataDeltaLink();
    assertNotNull(deltaLink);
    User first = graph.users().get(r -> r.queryParameters.top = 1).getValue().get(0);
    User patch = new User();
    patch.setUsageLocation("NL");
    graph.users().byUserId(first.getId()).patch(patch);
    DeltaGetResponse incremental = graph.users().delta().withUrl(deltaLink).get();
    assertTrue(incremental.getValue().isEmpty(), "usageLocation is not selected, so not tracked");
    assertNull(incremental.getOdataNextLink());
  }

  @Test
  void theSdkSeesRemovedAndMembersDeltaInAdditionalData() {
    var page = graph.groups().delta().get();
    boolean sawMembers = false;
    while (true) {
      for (Group g : page.getValue()) {
        sawMembers |= g.getAdditionalData().containsKey("members@delta");
      }
      if (page.getOdataNextLink() == null) {
        break;
      }
      page = graph.groups().delta().withUrl(page.getOdataNextLink()).get();
    }
    assertTrue(sawMembers);
    String deltaLink = page.getOdataDeltaLink();
    Group security = graph.groups().get(r -> r.queryParameters.filter = null).getValue().stream()
        .filter(g -> Boolean.TRUE.equals(g.getSecurityEnabled()) && !Boolean.TRUE.equals(g.getMailEnabled())
            && g.getOnPremisesSyncEnabled() == null && g.getGroupTypes().isEmpty() && !"All Users".equals(g.getDisplayName()))
        .findFirst().orElseThrow();
    graph.groups().byGroupId(security.getId()).delete();
    List<Group> changes = graph.groups().delta().withUrl(deltaLink).get().getValue();
    assertEquals(1, changes.size());
    assertTrue(changes.get(0).getAdditionalData().containsKey("@removed"));
  }

  @Test
  void theSdksBatchRequestsWork() throws Exception {
    com.microsoft.graph.core.content.BatchRequestContent batch = new com.microsoft.graph.core.content.BatchRequestContent(graph);
    String users = batch.addBatchRequestStep(graph.users().toGetRequestInformation(r -> r.queryParameters.top = 3));
    String org = batch.addBatchRequestStep(graph.organization().toGetRequestInformation());
    com.microsoft.graph.core.content.BatchResponseContent answer = graph.getBatchRequestBuilder().post(batch, null);
    assertEquals(200, (int) answer.getResponsesStatusCode().get(users));
    assertEquals(200, (int) answer.getResponsesStatusCode().get(org));
    com.microsoft.graph.models.UserCollectionResponse page =
        answer.getResponseById(users, com.microsoft.graph.models.UserCollectionResponse::createFromDiscriminatorValue);
    assertEquals(3, page.getValue().size());
  }

  @Test
  void theSdkSurfacesGraphErrorsAsODataError() {
    try {
      graph.users().byUserId("6f1c1b0e-0000-4000-8000-000000000000").get();
      throw new AssertionError("expected 404");
    } catch (ODataError e) {
      assertEquals(404, e.getResponseStatusCode());
      assertEquals("Request_ResourceNotFound", e.getError().getCode());
    }
  }

  @Test
  void theSdkReadsRoleDefinitionsAndAssignments() {
    assertTrue(graph.roleManagement().directory().roleDefinitions().get().getValue().size() >= 16);
    assertTrue(graph.roleManagement().directory().roleAssignments().get().getValue().stream()
        .anyMatch(a -> "/".equals(a.getDirectoryScopeId())));
    assertTrue(graph.directoryRoles().get().getValue().size() > 0);
  }
}
