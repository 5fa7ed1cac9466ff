// SigV4 canonicalisation and signing (aws/sigv4.h) on arbitrary requests. Signing must never
// crash, and the signature must not depend on what SigV4 says is not significant: the order
// of query parameters, the order of differently named headers, the case of header names, and
// how a query character was percent-encoded by the caller.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/sigv4.h"
#include "fuzz_check.h"

namespace {

using sre::aws::Credentials;
using sre::aws::SignableRequest;
using sre::aws::SigningScope;

const Credentials kCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const SigningScope kScope{"us-east-1", "sqs"};
constexpr std::string_view kDate = "20150830T123600Z";

std::string signature_of(const SignableRequest& request) {
  return sre::aws::sign_v4(request, kCredentials, kScope, kDate).signature;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) {
      return parts;
    }
    text.remove_prefix(at + 1);
  }
}

std::string join(const std::vector<std::string_view>& parts, char separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : std::string(1, separator)) + std::string(parts[i]);
  }
  return out;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string uppercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  SignableRequest request;
  request.method = input.ConsumeRandomLengthString(16);
  request.path = input.ConsumeRandomLengthString(128);
  request.query = input.ConsumeRandomLengthString(256);
  const auto header_count = input.ConsumeIntegralInRange<int>(0, 8);
  for (int i = 0; i < header_count; ++i) {
    std::string name = input.ConsumeRandomLengthString(32);
    std::string value = input.ConsumeRandomLengthString(64);
    request.headers.emplace_back(std::move(name), std::move(value));
  }
  const std::string payload = input.ConsumeRemainingBytesAsString();
  request.payload = payload;

  const auto signed_request = sre::aws::sign_v4(request, kCredentials, kScope, kDate);
  FUZZ_CHECK(signed_request.signature.size() == 64);
  FUZZ_CHECK(std::all_of(signed_request.signature.begin(), signed_request.signature.end(),
                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));

  // Query parameters in the opposite order.
  SignableRequest reordered = request;
  auto pairs = split(request.query, '&');
  std::reverse(pairs.begin(), pairs.end());
  reordered.query = join(pairs, '&');
  FUZZ_CHECK(signature_of(reordered) == signed_request.signature);

  // Every unreserved query character percent-encoded by the caller instead.
  SignableRequest encoded = request;
  encoded.query.clear();
  for (unsigned char c : request.query) {
    if (std::isalnum(c) != 0) {
      static constexpr char kDigits[] = "0123456789ABCDEF";
      encoded.query += {'%', kDigits[c >> 4], kDigits[c & 0x0f]};
    } else {
      encoded.query += static_cast<char>(c);
    }
  }
  // Only where no '%' was in the original: "%4" followed by "1" would be read differently.
  if (request.query.find('%') == std::string::npos) {
    FUZZ_CHECK(signature_of(encoded) == signed_request.signature);
  }

  // Headers in the opposite order, names in another case: the same, when no two headers share
  // a name (values of a repeated header are joined in the order sent, which does matter).
  std::set<std::string> names;
  for (const auto& [name, value] : request.headers) {
    names.insert(lowercase(name));
  }
  if (names.size() == request.headers.size()) {
    SignableRequest shuffled = request;
    std::reverse(shuffled.headers.begin(), shuffled.headers.end());
    for (auto& [name, value] : shuffled.headers) {
      name = uppercase(name);
    }
    FUZZ_CHECK(signature_of(shuffled) == signed_request.signature);
  }
  return 0;
}
