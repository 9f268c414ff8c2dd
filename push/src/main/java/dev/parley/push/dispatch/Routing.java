package dev.parley.push.dispatch;

import dev.parley.proto.internal.Delivery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a batch of deliveries by gateway: each gateway gets, in batch order, the deliveries that
 * concern its users, each restricted to those users.
 *
 * <p>Invariants of a restricted delivery: {@code user_ids} keeps the original order, and when
 * {@code user_pts} is set it keeps exactly the entries at the same positions, so that every user
 * still pairs with their own pts; {@code only_session_id}, {@code except_session_id}, {@code
 * disconnect_session_id} and the event are unchanged. A delivery whose users all sit on one gateway
 * goes there as it is.
 *
 * <p>Users with no online device at all go, restricted the same way, to the offline list (the push
 * hand-off) when the delivery carries an event: a bare disconnect means nothing to a device that is
 * not connected. While presence is being rebuilt such users are unknown rather than offline: they
 * also go to every gateway presence cannot speak for ({@link GatewayDirectory}).
 */
final class Routing {
  private Routing() {}

  /**
   * @param perGateway gateway id → its deliveries in batch order
   * @param offline deliveries restricted to recipients without any online device
   * @param malformed deliveries skipped because their user_pts do not pair with user_ids
   */
  record Plan(Map<String, List<Delivery>> perGateway, List<Delivery> offline, int malformed) {}

  /** Every recipient of the batch, once, for one presence lookup. */
  static Set<Long> recipients(List<Delivery> batch) {
    Set<Long> users = new LinkedHashSet<>();
    for (Delivery d : batch) users.addAll(d.getUserIdsList());
    return users;
  }

  /**
   * @param gatewaysOf for each user with at least one online device, the gateways holding them (as
   *     returned by the presence; users missing from it are offline)
   */
  static Plan plan(List<Delivery> batch, Map<Long, Set<String>> gatewaysOf) {
    return plan(batch, gatewaysOf, Set.of());
  }

  /**
   * @param unaccounted gateways whose presence was lost: users missing from {@code gatewaysOf} go
   *     to each of them too
   */
  static Plan plan(
      List<Delivery> batch, Map<Long, Set<String>> gatewaysOf, Set<String> unaccounted) {
    Map<String, List<Delivery>> perGateway = new LinkedHashMap<>();
    List<Delivery> offline = new ArrayList<>();
    int malformed = 0;
    for (Delivery d : batch) {
      int users = d.getUserIdsCount();
      if (d.getUserPtsCount() != 0 && d.getUserPtsCount() != users) {
        malformed++;
        continue;
      }
      Map<String, List<Integer>> positions = new LinkedHashMap<>();
      List<Integer> offlinePositions = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        Set<String> gateways = gatewaysOf.getOrDefault(d.getUserIds(i), Set.of());
        if (gateways.isEmpty()) {
          offlinePositions.add(i);
          gateways = unaccounted;
        }
        for (String gateway : gateways)
          positions.computeIfAbsent(gateway, g -> new ArrayList<>()).add(i);
      }
      positions.forEach(
          (gateway, at) ->
              perGateway.computeIfAbsent(gateway, g -> new ArrayList<>()).add(restrict(d, at)));
      if (!offlinePositions.isEmpty() && d.hasEvent()) offline.add(restrict(d, offlinePositions));
    }
    return new Plan(perGateway, offline, malformed);
  }

  /**
   * The delivery for the users at {@code positions} (ascending) only, their pts kept beside them.
   */
  static Delivery restrict(Delivery d, List<Integer> positions) {
    if (positions.size() == d.getUserIdsCount()) return d;
    Delivery.Builder b = d.toBuilder().clearUserIds().clearUserPts();
    boolean withPts = d.getUserPtsCount() > 0;
    for (int i : positions) {
      b.addUserIds(d.getUserIds(i));
      if (withPts) b.addUserPts(d.getUserPts(i));
    }
    return b.build();
  }
}
