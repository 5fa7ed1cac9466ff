#include "aws/json_protocol.h"

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace sre::aws {

std::vector<std::pair<std::string, std::string>> json_request_headers(
    std::string_view host, std::string_view target, std::string_view body,
    const Credentials& credentials, const SigningScope& scope,
    std::chrono::system_clock::time_point now) {
  std::string date = amz_date(now);
  std::vector<std::pair<std::string, std::string>> headers{
      {"Host", std::string(host)},
      {"X-Amz-Date", date},
      {"X-Amz-Target", std::string(target)},
      {"Content-Type", std::string(kJsonContentType)},
  };
  if (!credentials.session_token.empty()) {
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  SignableRequest request{"POST", "/", "", headers, body};
  headers.emplace_back("Authorization", sign_v4(request, credentials, scope, date).authorization);
  return headers;
}

boost::json::object parse_answer(std::string_view answer, std::string_view service) {
  boost::system::error_code ec;
  auto value = boost::json::parse(answer, ec);
  if (ec || !value.is_object()) {
    throw std::invalid_argument(std::string(service) + " answer is not a JSON object");
  }
  return std::move(value.as_object());
}

}  // namespace sre::aws
