// The users file: its text round-trips, bad lines are refused with their number, and
// passwords verify only against their own argon2id hash.
#include "auth/users.h"

#include <gtest/gtest.h>

#include "auth/password_hash.h"

namespace sre::auth {
namespace {

TEST(Users, TextRoundTrips) {
  Users users;
  users.put({"ada", Role::admin, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"});
  users.put({"bob", Role::reader, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$b3RoZXI"});
  users.put({"ada", Role::staff, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$bmV3"});  // replaces
  auto parsed = Users::parse(users.text());
  ASSERT_TRUE(std::holds_alternative<Users>(parsed)) << std::get<std::string>(parsed);
  const auto& again = std::get<Users>(parsed);
  EXPECT_EQ(again.size(), 2U);
  ASSERT_NE(again.find("ada"), nullptr);
  EXPECT_EQ(again.find("ada")->role, Role::staff);
  EXPECT_EQ(again.find("ada")->password_hash, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$bmV3");
  EXPECT_EQ(again.find("nobody"), nullptr);
}

TEST(Users, BadLinesAreRefusedWithTheirNumber) {
  const std::string hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
  for (const auto& [text, reason] : std::vector<std::pair<std::string, std::string>>{
           {"# c\nada:admin\n", "line 2: expected name:role:hash"},
           {"ada:root:" + hash, "line 1: role is not one of reader, staff, admin"},
           {"a d a:admin:" + hash, "line 1: invalid user name"},
           {"ada:admin:$2b$10$bcrypt", "line 1: the hash is not an argon2id hash"}}) {
    auto parsed = Users::parse(text);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << text;
    EXPECT_EQ(std::get<std::string>(parsed), reason);
  }
}

TEST(Users, NamesAreShortAndPlain) {
  EXPECT_TRUE(is_valid_user_name("ada.lovelace@school-1_a"));
  EXPECT_FALSE(is_valid_user_name(""));
  EXPECT_FALSE(is_valid_user_name(std::string(65, 'a')));
  EXPECT_FALSE(is_valid_user_name("ada:admin"));
  EXPECT_FALSE(is_valid_user_name("ada\n"));
}

TEST(PasswordHash, VerifiesOnlyItsOwnPassword) {
  const auto hash = hash_password("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << hash;
  EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
  EXPECT_FALSE(verify_password(hash, "correct horse battery stapler"));
  EXPECT_FALSE(verify_password("not a hash", "correct horse battery staple"));
  EXPECT_NE(hash_password("correct horse battery staple"), hash) << "salts must be random";
}

}  // namespace
}  // namespace sre::auth
