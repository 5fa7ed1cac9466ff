// PathSegments (http/path_segments.h) splits a plain path in place, straight from the request
// target, and decodes one with '%': either way the router must see exactly the segments
// Boost.URL's decoded view of the target gives.
#include "http/path_segments.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/request_checks.h"

namespace sre::http {
namespace {

// A request as the connection hands it on: its target checked, nothing parsed yet.
RequestContext request_for(const char* target) {
  RequestContext ctx;
  ctx.request.method(Verb::get);
  ctx.request.target(target);
  return ctx;
}

std::vector<std::string> ours(const RequestContext& ctx) {
  const PathSegments segments(ctx);
  return {segments.views().begin(), segments.views().end()};
}

std::vector<std::string> boosts(const RequestContext& ctx) {
  std::vector<std::string> segments;
  for (auto segment : ctx.url().segments()) {
    segments.push_back(segment);
  }
  return segments;
}

TEST(PathSegments, AreTheSegmentsBoostUrlDecodes) {
  for (const char* target :
       {"/", "/api", "/api/v1/students/STU-1234ABCD", "/api/v1/students/", "//", "/a//b/",
        "/api/v1/students?limit=20&skip=0", "/a/b?x=/c/d", "/%41pi/v1", "/a%2Fb/c", "/caf%C3%A9/x",
        "/a/%2e%2e/b", "/a/..", "http://example.com", "http://example.com/",
        "http://example.com/a/b?q=1", "https://example.com/x%20y/"}) {
    ASSERT_TRUE(is_acceptable_target(Verb::get, target)) << target;
    const RequestContext ctx = request_for(target);
    EXPECT_EQ(ours(ctx), boosts(ctx)) << target;
  }
}

TEST(PathSegments, KeepTheLeadingDotSegmentThatBoostUrlHides) {
  using Segments = std::vector<std::string>;
  EXPECT_EQ(ours(request_for("/./a")), (Segments{".", "a"}));
  EXPECT_EQ(ours(request_for("/./%41")), (Segments{".", "A"}));
  EXPECT_EQ(boosts(request_for("/./a")), (Segments{"a"}));
}

TEST(PathSegments, APlainPathIsViewedInPlace) {
  const RequestContext ctx = request_for("/api/v1/students/STU-1?x=1");
  const PathSegments segments(ctx);
  ASSERT_EQ(segments.views().size(), 4U);
  EXPECT_EQ(segments.views()[3], "STU-1");
  EXPECT_EQ(segments.views()[3].data(), ctx.request.target().data() + 17);  // not a copy
}

TEST(PathSegments, FindsDotSegmentsSpelledOutOrEncoded) {
  for (const char* target :
       {"/a/../b", "/a/./b", "/a/%2e%2e", "/%2E/x", "/a/..", "/./api/v1/students", "/./%41"}) {
    const RequestContext ctx = request_for(target);
    EXPECT_TRUE(PathSegments(ctx).has_dot_segment()) << target;
  }
  for (const char* target : {"/a/...", "/a/.b", "/a/%2e%2e%2e", "/a/b."}) {
    const RequestContext ctx = request_for(target);
    EXPECT_FALSE(PathSegments(ctx).has_dot_segment()) << target;
  }
}

}  // namespace
}  // namespace sre::http
