// What counts as the same origin for the admin routes' cross-site guard.
#include "service/admin_guard.h"

#include <gtest/gtest.h>

namespace sre::service {
namespace {

TEST(AdminGuard, SameOriginIsTheHostTheRequestWasSentTo) {
  EXPECT_TRUE(is_same_origin("http://localhost:8000", "localhost:8000"));
  EXPECT_TRUE(is_same_origin("https://School.Example", "school.example"));
  EXPECT_FALSE(is_same_origin("http://evil.example", "localhost:8000"));
  EXPECT_FALSE(is_same_origin("http://localhost:8001", "localhost:8000"));
  EXPECT_FALSE(is_same_origin("http://localhost:8000.evil.example", "localhost:8000"));
  EXPECT_FALSE(is_same_origin("null", "localhost:8000"));
  EXPECT_FALSE(is_same_origin("http://localhost:8000", ""));
}

}  // namespace
}  // namespace sre::service
