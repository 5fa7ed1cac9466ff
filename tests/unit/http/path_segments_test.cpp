// PathSegments (http/path_segments.h) splits a plain path in place and decodes one with '%':
// either way the router must see exactly the segments Boost.URL's decoded view gives.
#include "http/path_segments.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/request_checks.h"

namespace sre::http {
namespace {

std::vector<std::string> ours(const boost::urls::url_view& url) {
  const PathSegments segments(url);
  return {segments.views().begin(), segments.views().end()};
}

std::vector<std::string> boosts(const boost::urls::url_view& url) {
  std::vector<std::string> segments;
  for (auto segment : url.segments()) {
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
    const Verb method = Verb::get;
    auto url = parse_request_target(method, target);
    ASSERT_TRUE(url.has_value()) << target;
    EXPECT_EQ(ours(*url), boosts(*url)) << target;
  }
}

TEST(PathSegments, KeepTheLeadingDotSegmentThatBoostUrlHides) {
  using Segments = std::vector<std::string>;
  EXPECT_EQ(ours(*parse_request_target(Verb::get, "/./a")), (Segments{".", "a"}));
  EXPECT_EQ(ours(*parse_request_target(Verb::get, "/./%41")), (Segments{".", "A"}));
  EXPECT_EQ(boosts(*parse_request_target(Verb::get, "/./a")), (Segments{"a"}));
}

TEST(PathSegments, APlainPathIsViewedInPlace) {
  auto url = parse_request_target(Verb::get, "/api/v1/students/STU-1");
  const PathSegments segments(*url);
  ASSERT_EQ(segments.views().size(), 4U);
  EXPECT_EQ(segments.views()[3], "STU-1");
  EXPECT_EQ(segments.views()[3].data(), url->encoded_path().data() + 17);  // not a copy
}

TEST(PathSegments, FindsDotSegmentsSpelledOutOrEncoded) {
  for (const char* target :
       {"/a/../b", "/a/./b", "/a/%2e%2e", "/%2E/x", "/a/..", "/./api/v1/students", "/./%41"}) {
    EXPECT_TRUE(PathSegments(*parse_request_target(Verb::get, target)).has_dot_segment()) << target;
  }
  for (const char* target : {"/a/...", "/a/.b", "/a/%2e%2e%2e", "/a/b."}) {
    EXPECT_FALSE(PathSegments(*parse_request_target(Verb::get, target)).has_dot_segment())
        << target;
  }
}

}  // namespace
}  // namespace sre::http
