#include "http/path_segments.h"

#include <algorithm>

namespace sre::http {

void split_path(std::string_view path, SegmentViews& segments) {
  // An origin-form path always starts with '/'; the path of an absolute-form target may be
  // empty. Either "" or "/" has no segments.
  if (path.empty() || path == "/") {
    return;
  }
  std::string_view rest = path.starts_with('/') ? path.substr(1) : path;
  for (;;) {
    const std::size_t slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) {
      return;
    }
    rest.remove_prefix(slash + 1);
  }
}

PathSegments::PathSegments(const RequestContext& ctx) {
  const std::string_view path = ctx.encoded_path();
  if (path.find('%') == std::string_view::npos) {
    split_path(path, views_);
    return;
  }
  const boost::urls::url_view& url = ctx.url();
  decoded_.reserve(url.segments().size() + 1);
  // Boost.URL hides a leading "." segment ("/./a" reads as "/a": the form it uses to keep
  // "//a" from looking like an authority). Here it stays, so that the path routes nowhere.
  if (path.starts_with("/./")) {
    decoded_.emplace_back(".");
  }
  for (auto segment : url.segments()) {
    decoded_.push_back(segment);
  }
  views_.assign(decoded_.begin(), decoded_.end());
}

bool PathSegments::has_dot_segment() const {
  return std::any_of(views_.begin(), views_.end(),
                     [](std::string_view segment) { return segment == "." || segment == ".."; });
}

}  // namespace sre::http
