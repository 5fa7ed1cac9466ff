// The decoded segments of a request's path, as the router matches them: "/api/v1/students/x"
// is {"api", "v1", "students", "x"}, "/" is none, "/a//b/" is {"a", "", "b", ""}.
//
// Nearly every path has no percent-encoding, and then its segments are views into the request
// target itself: no copy, no allocation. Only a path with a '%' is decoded, into strings this
// object owns (Boost.URL's segment view decodes every segment into a new string).
#pragma once

#include <boost/container/small_vector.hpp>
#include <boost/url/url_view.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.h"

namespace sre::http {

// Routes have a handful of segments: room for them without an allocation.
using SegmentViews = boost::container::small_vector<std::string_view, 8>;

// Appends the segments of `path` as they are (not decoded), split on '/' after the leading
// one, as views into it. Route templates are split the same way (http/router.cpp).
void split_path(std::string_view path, SegmentViews& segments);

class PathSegments {
 public:
  // The path of a request's target; `ctx` must outlive this object (the views may point into
  // it). Its URL is parsed only when the path holds a '%' (RequestContext::url()).
  explicit PathSegments(const RequestContext& ctx);
  PathSegments(const PathSegments&) = delete;
  PathSegments& operator=(const PathSegments&) = delete;

  std::span<const std::string_view> views() const { return {views_.data(), views_.size()}; }
  // Whether a segment is "." or ".." (spelled out or percent-encoded).
  bool has_dot_segment() const;

 private:
  std::vector<std::string> decoded_;  // only for a path with percent-encoding
  SegmentViews views_;
};

}  // namespace sre::http
