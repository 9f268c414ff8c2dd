package dev.parley.push.dispatch;

import static dev.parley.push.dispatch.Deliveries.message;
import static dev.parley.push.dispatch.Deliveries.users;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.internal.Delivery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingTest {
  private final Map<Long, Set<String>> online =
      Map.of(1L, Set.of("a"), 2L, Set.of("a", "b"), 3L, Set.of("b"));

  @Test
  void restrictsEachDeliveryToTheGatewaysUsersKeepingPtsBesideTheirUser() {
    Delivery d =
        message(100, 1, users(4, 3, 1, 2), users(41, 31, 11, 21)).toBuilder()
            .setExceptSessionId(5)
            .build();

    Routing.Plan plan = Routing.plan(List.of(d), online);

    Delivery forA = plan.perGateway().get("a").get(0);
    assertThat(forA.getUserIdsList()).containsExactly(1L, 2L);
    assertThat(forA.getUserPtsList()).containsExactly(11L, 21L);
    assertThat(forA.getExceptSessionId()).isEqualTo(5);
    assertThat(forA.getEvent()).isEqualTo(d.getEvent());
    Delivery forB = plan.perGateway().get("b").get(0);
    assertThat(forB.getUserIdsList()).containsExactly(3L, 2L);
    assertThat(forB.getUserPtsList()).containsExactly(31L, 21L);
    assertThat(plan.offline()).hasSize(1);
    assertThat(plan.offline().get(0).getUserIdsList()).containsExactly(4L);
    assertThat(plan.offline().get(0).getUserPtsList()).containsExactly(41L);
    assertThat(plan.offline().get(0).getExceptSessionId()).isEqualTo(5);
  }

  @Test
  void whilePresenceIsRebuiltUsersMissingFromItAlsoGoToTheGatewaysItLost() {
    Delivery d = message(100, 1, users(4, 3, 1, 5), users(41, 31, 11, 51));

    Routing.Plan plan = Routing.plan(List.of(d), online, Set.of("a", "c"));

    assertThat(plan.perGateway().get("a").get(0).getUserIdsList()).containsExactly(4L, 1L, 5L);
    assertThat(plan.perGateway().get("a").get(0).getUserPtsList()).containsExactly(41L, 11L, 51L);
    assertThat(plan.perGateway().get("b").get(0).getUserIdsList()).containsExactly(3L);
    assertThat(plan.perGateway().get("c").get(0).getUserIdsList()).containsExactly(4L, 5L);
    assertThat(plan.offline().get(0).getUserIdsList())
        .as("still handed to push: they may be offline")
        .containsExactly(4L, 5L);
  }

  @Test
  void keepsBatchOrderPerGatewayAndPassesWholeDeliveriesUnchanged() {
    Delivery first = message(7, 1, users(1), users(10));
    Delivery second =
        Delivery.newBuilder().addUserIds(2).setOnlySessionId(9).setDisconnectSessionId(9).build();
    Delivery third = message(7, 2, users(1, 2), users(11, 20));

    Routing.Plan plan = Routing.plan(List.of(first, second, third), online);

    assertThat(plan.perGateway().get("a")).containsExactly(first, second, third);
    assertThat(plan.perGateway().get("a").get(2)).isSameAs(third);
    assertThat(plan.perGateway().get("b"))
        .containsExactly(second, Routing.restrict(third, List.of(1)));
    assertThat(plan.offline()).isEmpty();
  }

  @Test
  void withoutPtsOnlyUsersAreFiltered() {
    Delivery d = Delivery.newBuilder().addUserIds(3).addUserIds(1).setOnlySessionId(4).build();

    Delivery forA = Routing.plan(List.of(d), online).perGateway().get("a").get(0);

    assertThat(forA.getUserIdsList()).containsExactly(1L);
    assertThat(forA.getUserPtsCount()).isZero();
    assertThat(forA.getOnlySessionId()).isEqualTo(4);
  }

  @Test
  void offlineGetsOnlyDeliveriesWithAnEventAndMalformedOnesAreSkipped() {
    Delivery disconnectOnly = Delivery.newBuilder().addUserIds(8).setDisconnectSessionId(3).build();
    Delivery malformed = message(1, 1, users(1, 2), users(10));

    Routing.Plan plan = Routing.plan(List.of(disconnectOnly, malformed), online);

    assertThat(plan.perGateway()).isEmpty();
    assertThat(plan.offline()).isEmpty();
    assertThat(plan.malformed()).isEqualTo(1);
  }

  @Test
  void collectsEachRecipientOnce() {
    assertThat(
            Routing.recipients(
                List.of(
                    message(1, 1, users(1, 2), users(1, 1)),
                    message(1, 2, users(2, 3), users(2, 1)))))
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void splitsLargeSharesIntoConsecutiveRequests() {
    List<Delivery> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) many.add(message(1, i, users(1), users(i)));
    int size = many.get(0).getSerializedSize() + 8;

    var requests = GatewayHandOver.requests(many, size * 3);

    assertThat(requests).hasSize(4);
    assertThat(requests.stream().flatMap(r -> r.getDeliveriesList().stream()).toList())
        .isEqualTo(many);
    assertThat(GatewayHandOver.requests(many, 1_000_000)).hasSize(1);
  }
}
