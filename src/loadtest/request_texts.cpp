#include "loadtest/request_texts.h"

#include <fmt/format.h>

namespace sre::loadtest {

namespace {

// What the creates post: a valid student (see domain/validation.h).
constexpr std::string_view kCreateBody = R"({"first_name":"Load","last_name":"Test","grade":7})";

}  // namespace

std::string request_text(const Target& target, std::string_view path, std::string_view bearer,
                         std::string_view body) {
  std::string text =
      fmt::format("{} {} HTTP/1.1\r\nHost: {}:{}\r\nUser-Agent: sre-playground-loadtest\r\n",
                  body.empty() ? "GET" : "POST", path, target.host, target.port);
  if (!bearer.empty()) {
    text += fmt::format("Authorization: Bearer {}\r\n", bearer);
  }
  if (!body.empty()) {
    text += fmt::format("Content-Type: application/json\r\nContent-Length: {}\r\n", body.size());
  }
  text += "\r\n";
  text += body;
  return text;
}

RequestTexts RequestTexts::fixed(const LoadtestOptions& options) {
  RequestTexts texts;
  texts.fixed_ = request_text(options.target, options.path, options.bearer_token);
  return texts;
}

RequestTexts RequestTexts::mix(const LoadtestOptions& options,
                               const std::vector<std::string>& ids) {
  RequestTexts texts;
  const auto& bearer = options.bearer_token;
  for (const auto& id : ids) {
    const auto item = fmt::format("{}/{}", kStudents, id);
    texts.reads_.push_back(request_text(options.target, item, bearer));
    texts.grades_.push_back(request_text(options.target, item + "/grades", bearer));
  }
  texts.list_ = request_text(options.target, kStudents, bearer);
  texts.create_ = request_text(options.target, kStudents, bearer, kCreateBody);
  return texts;
}

const std::string& RequestTexts::of(RequestKind kind, std::uint64_t k) const {
  switch (kind) {
    case RequestKind::read:
      return reads_[k % reads_.size()];
    case RequestKind::grades:
      return grades_[k % grades_.size()];
    case RequestKind::list:
      return list_;
    case RequestKind::create:
      return create_;
  }
  return list_;
}

}  // namespace sre::loadtest
