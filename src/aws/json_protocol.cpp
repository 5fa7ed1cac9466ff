#include "aws/json_protocol.h"

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

}  // namespace sre::aws
