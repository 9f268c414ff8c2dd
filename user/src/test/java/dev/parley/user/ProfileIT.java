package dev.parley.user;

import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.error;
import static dev.parley.user.UserServiceHarness.phone;
import static dev.parley.user.UserServiceHarness.reason;
import static dev.parley.user.UserServiceHarness.uniqueEmail;
import static dev.parley.user.UserServiceHarness.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.proto.internal.Delivery;
import dev.parley.testkit.PostgresExtension;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACC-5: profile, username, password changes and exact lookup. */
class ProfileIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static UserServiceHarness users;

  @BeforeAll
  static void start() {
    users = new UserServiceHarness(postgres.database(), TestConfigs.userConfig());
  }

  @AfterAll
  static void stop() throws Exception {
    users.close();
  }

  private static String uniqueUsername() {
    return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static Profile update(AuthTokens t, UpdateProfileRequest.Builder r) {
    return users.as(t).updateProfile(r.build()).getProfile();
  }

  @Test
  void updatesTheProfileAndTellsTheOtherDevices() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, "correct horse battery", "laptop");
    AuthTokens phone = users.loginWithPassword(id, "correct horse battery", "phone");
    String username = uniqueUsername();

    Profile p =
        update(
            phone,
            UpdateProfileRequest.newBuilder()
                .setDisplayName("  Grace Hopper ")
                .setUsername(username.toUpperCase())
                .setAvatarFileId("file_123-abc"));

    assertThat(p.getDisplayName()).isEqualTo("Grace Hopper");
    assertThat(p.getUsername()).isEqualTo(username);
    assertThat(p.getAvatarFileId()).isEqualTo("file_123-abc");
    assertThat(
            users
                .as(laptop)
                .getAccount(GetAccountRequest.getDefaultInstance())
                .getAccount()
                .getProfile())
        .isEqualTo(p);
    Delivery event =
        users.deliveriesFor(phone.getUserId()).stream()
            .filter(d -> d.getEvent().hasProfileUpdated())
            .findFirst()
            .orElseThrow();
    assertThat(event.getExceptSessionId()).isEqualTo(phone.getSessionId());
    assertThat(event.getEvent().getProfileUpdated().getProfile()).isEqualTo(p);

    // Only present fields change; empty strings remove username and avatar.
    Profile renamed = update(phone, UpdateProfileRequest.newBuilder().setDisplayName("Grace"));
    assertThat(renamed.getUsername()).isEqualTo(username);
    Profile cleared =
        update(phone, UpdateProfileRequest.newBuilder().setUsername("").setAvatarFileId(""));
    assertThat(cleared.getUsername()).isEmpty();
    assertThat(cleared.getAvatarFileId()).isEmpty();
    assertThat(cleared.getDisplayName()).isEqualTo("Grace");
  }

  @Test
  void usernamesAreUniqueIgnoringCase() {
    AuthTokens first = users.registerEmail();
    AuthTokens second = users.registerEmail();
    String username = uniqueUsername();
    update(first, UpdateProfileRequest.newBuilder().setUsername(username));

    Error e =
        error(
            () ->
                update(
                    second, UpdateProfileRequest.newBuilder().setUsername(username.toUpperCase())));
    assertThat(e.getReason()).isEqualTo(Reason.USERNAME_TAKEN);
    assertThat(e.getField()).isEqualTo("username");
    // Setting one's own username again is fine; once released, another user can take it.
    update(first, UpdateProfileRequest.newBuilder().setUsername(username));
    update(first, UpdateProfileRequest.newBuilder().setUsername(""));
    assertThat(
            update(second, UpdateProfileRequest.newBuilder().setUsername(username)).getUsername())
        .isEqualTo(username);
  }

  @Test
  void profileInputIsValidated() {
    AuthTokens t = users.registerEmail();
    for (String bad :
        new String[] {"abcd", "1abcde", "ab-cde", "a".repeat(33), "_abcde", "abc de", "äbcdef"}) {
      Error e = error(() -> update(t, UpdateProfileRequest.newBuilder().setUsername(bad)));
      assertThat(e.getReason()).as(bad).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(e.getField()).isEqualTo("username");
    }
    assertThat(
            error(() -> update(t, UpdateProfileRequest.newBuilder().setDisplayName(""))).getField())
        .isEqualTo("display_name");
    assertThat(
            error(() -> update(t, UpdateProfileRequest.newBuilder().setDisplayName("a\nb")))
                .getField())
        .isEqualTo("display_name");
    assertThat(
            error(
                    () ->
                        update(
                            t, UpdateProfileRequest.newBuilder().setAvatarFileId("../etc/passwd")))
                .getField())
        .isEqualTo("avatar_file_id");
    assertThat(
            error(
                    () ->
                        update(
                            t, UpdateProfileRequest.newBuilder().setAvatarFileId("a".repeat(129))))
                .getField())
        .isEqualTo("avatar_file_id");
    assertThat(
            update(t, UpdateProfileRequest.newBuilder().setDisplayName("😀".repeat(64)))
                .getDisplayName())
        .hasSize(128);
  }

  @Test
  void getProfilesKeepsOrderAndLeavesOutUnknownIds() {
    AuthTokens a = users.registerEmail();
    AuthTokens b = users.registerEmail();
    var profiles =
        users
            .as(a)
            .getProfiles(
                GetProfilesRequest.newBuilder()
                    .addUserIds(b.getUserId())
                    .addUserIds(42)
                    .addUserIds(a.getUserId())
                    .build())
            .getProfilesList();
    assertThat(profiles)
        .extracting(Profile::getUserId)
        .containsExactly(b.getUserId(), a.getUserId());
    assertThat(users.as(a).getProfiles(GetProfilesRequest.getDefaultInstance()).getProfilesList())
        .extracting(Profile::getUserId)
        .containsExactly(a.getUserId());
    GetProfilesRequest tooMany =
        GetProfilesRequest.newBuilder()
            .addAllUserIds(LongStream.rangeClosed(1, 101).boxed().toList())
            .build();
    Error e = error(() -> users.as(a).getProfiles(tooMany));
    assertThat(e.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(e.getField()).isEqualTo("user_ids");
  }

  @Test
  void setPasswordFirstWithoutThenWithTheCurrentOne() {
    Identifier id = email(uniqueEmail());
    AuthTokens t = users.register(id, "", "");
    users
        .as(t)
        .setPassword(SetPasswordRequest.newBuilder().setNewPassword("first password").build());
    assertThat(users.loginWithPassword(id, "first password", "").getUserId())
        .isEqualTo(t.getUserId());

    assertThat(
            reason(
                () ->
                    users
                        .as(t)
                        .setPassword(
                            SetPasswordRequest.newBuilder()
                                .setNewPassword("second password")
                                .build())))
        .isEqualTo(Reason.INVALID_CREDENTIALS);
    assertThat(
            reason(
                () ->
                    users
                        .as(t)
                        .setPassword(
                            SetPasswordRequest.newBuilder()
                                .setCurrentPassword("wrong password")
                                .setNewPassword("second password")
                                .build())))
        .isEqualTo(Reason.INVALID_CREDENTIALS);
    Error weak =
        error(
            () ->
                users
                    .as(t)
                    .setPassword(
                        SetPasswordRequest.newBuilder()
                            .setCurrentPassword("first password")
                            .setNewPassword("short")
                            .build()));
    assertThat(weak.getReason()).isEqualTo(Reason.WEAK_PASSWORD);
    assertThat(weak.getField()).isEqualTo("new_password");

    users
        .as(t)
        .setPassword(
            SetPasswordRequest.newBuilder()
                .setCurrentPassword("first password")
                .setNewPassword("second password")
                .build());
    assertThat(reason(() -> users.loginWithPassword(id, "first password", "")))
        .isEqualTo(Reason.INVALID_CREDENTIALS);
    assertThat(users.loginWithPassword(id, "second password", "").getUserId())
        .isEqualTo(t.getUserId());
    assertThat(
            users
                .as(t)
                .getAccount(GetAccountRequest.getDefaultInstance())
                .getAccount()
                .getHasPassword())
        .isTrue();
  }

  @Test
  void looksUpByExactUsernameEmailOrPhone() {
    String address = uniqueEmail();
    String number = uniquePhone();
    AuthTokens byMail = users.register(email(address), "", "");
    AuthTokens byPhone = users.register(phone(number), "", "");
    String username = uniqueUsername();
    update(byPhone, UpdateProfileRequest.newBuilder().setUsername(username));
    var searcher = users.as(users.registerEmail());

    assertThat(
            searcher
                .lookupUser(LookupUserRequest.newBuilder().setEmail(address.toUpperCase()).build())
                .getProfile()
                .getUserId())
        .isEqualTo(byMail.getUserId());
    assertThat(
            searcher
                .lookupUser(LookupUserRequest.newBuilder().setPhone(number).build())
                .getProfile()
                .getUserId())
        .isEqualTo(byPhone.getUserId());
    assertThat(
            searcher
                .lookupUser(
                    LookupUserRequest.newBuilder().setUsername(username.toUpperCase()).build())
                .getProfile()
                .getUserId())
        .isEqualTo(byPhone.getUserId());

    assertThat(
            reason(
                () ->
                    searcher.lookupUser(
                        LookupUserRequest.newBuilder()
                            .setUsername(username.substring(0, 6))
                            .build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    searcher.lookupUser(
                        LookupUserRequest.newBuilder().setEmail(uniqueEmail()).build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    searcher.lookupUser(LookupUserRequest.newBuilder().setPhone("bogus").build())))
        .isEqualTo(Reason.INVALID_IDENTIFIER);
    assertThat(reason(() -> searcher.lookupUser(LookupUserRequest.getDefaultInstance())))
        .isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(
            reason(
                () ->
                    users
                        .anonymous()
                        .lookupUser(LookupUserRequest.newBuilder().setUsername(username).build())))
        .isEqualTo(Reason.UNAUTHENTICATED);
  }

  @Test
  void aUserWhoBlockedTheCallerCannotBeFound() {
    AuthTokens hider = users.registerEmail();
    AuthTokens seeker = users.registerEmail();
    String username = uniqueUsername();
    update(hider, UpdateProfileRequest.newBuilder().setUsername(username));
    LookupUserRequest byName = LookupUserRequest.newBuilder().setUsername(username).build();
    assertThat(users.as(seeker).lookupUser(byName).getProfile().getUserId())
        .isEqualTo(hider.getUserId());

    users.blocks.add(hider.getUserId() + ">" + seeker.getUserId());
    Error hidden = error(() -> users.as(seeker).lookupUser(byName));
    Error unknown =
        error(
            () ->
                users
                    .as(seeker)
                    .lookupUser(
                        LookupUserRequest.newBuilder().setUsername("nobody_" + username).build()));
    assertThat(hidden).isEqualTo(unknown);
  }

  /**
   * Issue 9 item 8: get_profiles showed a blocker to the user they blocked, which lookup_user
   * hides.
   */
  @Test
  void aUserWhoBlockedTheCallerIsLeftOutOfProfiles() {
    AuthTokens hider = users.registerEmail();
    AuthTokens seeker = users.registerEmail();
    AuthTokens bystander = users.registerEmail();
    GetProfilesRequest both =
        GetProfilesRequest.newBuilder()
            .addUserIds(hider.getUserId())
            .addUserIds(bystander.getUserId())
            .build();
    assertThat(users.as(seeker).getProfiles(both).getProfilesList())
        .extracting(Profile::getUserId)
        .hasSize(2);

    users.blocks.add(hider.getUserId() + ">" + seeker.getUserId());
    assertThat(users.as(seeker).getProfiles(both).getProfilesList())
        .extracting(Profile::getUserId)
        .containsExactly(bystander.getUserId());
    // The one who blocked still sees the one they blocked.
    GetProfilesRequest theSeeker =
        GetProfilesRequest.newBuilder().addUserIds(seeker.getUserId()).build();
    assertThat(users.as(hider).getProfiles(theSeeker).getProfilesCount()).isEqualTo(1);
  }
}
