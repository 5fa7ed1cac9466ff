#include "aws/sigv4.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace sre::aws {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest hmac_sha256(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
  return out;
}

std::string_view as_text(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0f];
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Undoes the client's percent-encoding so every query name and value is encoded once, the
// SigV4 way, whatever form it was sent in ('+' stays a literal plus: AWS does not read it as
// a space).
std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// name=value pairs encoded the SigV4 way, sorted by name then value, joined by '&'.
std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    auto equals = pair.find('=');
    std::string_view name = pair.substr(0, equals);
    std::string_view value =
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
    pairs.emplace_back(uri_encode(percent_decode(name), false),
                       uri_encode(percent_decode(value), false));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) {
      out += '&';
    }
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

// Header values lose leading and trailing spaces, and runs of spaces inside become one.
std::string trimmed_value(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  return out;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct CanonicalHeaders {
  std::string lines;  // "name:value\n" per header, sorted by name
  std::string names;  // "name;name": the signed headers
};

// Sorted by lowercase name; a header sent several times becomes one line, its values joined
// by ',' in the order sent.
CanonicalHeaders canonical_headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> merged;
  for (const auto& [name, value] : headers) {
    std::string key = lowercase(name);
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const auto& entry) { return entry.first == key; });
    if (it == merged.end()) {
      merged.emplace_back(std::move(key), trimmed_value(value));
    } else {
      it->second += ',' + trimmed_value(value);
    }
  }
  std::stable_sort(merged.begin(), merged.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.lines += fmt::format("{}:{}\n", name, value);
    if (!out.names.empty()) {
      out.names += ';';
    }
    out.names += name;
  }
  return out;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0x0f];
    }
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return hex(digest.data(), length);
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  return fmt::format("{:%Y%m%dT%H%M%SZ}", std::chrono::floor<std::chrono::seconds>(time));
}

Signature sign_v4(const SignableRequest& request, const Credentials& credentials,
                  const SigningScope& scope, std::string_view amz_date) {
  Signature out;
  auto headers = canonical_headers(request.headers);
  out.signed_headers = headers.names;
  out.canonical_request = fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method,
                                      uri_encode(request.path.empty() ? "/" : request.path, true),
                                      canonical_query(request.query), headers.lines, headers.names,
                                      sha256_hex(request.payload));

  std::string_view date = amz_date.substr(0, 8);
  std::string credential_scope =
      fmt::format("{}/{}/{}/aws4_request", date, scope.region, scope.service);
  out.string_to_sign = fmt::format("AWS4-HMAC-SHA256\n{}\n{}\n{}", amz_date, credential_scope,
                                   sha256_hex(out.canonical_request));

  // The signing key is bound to the day, the region and the service, so a leaked key is
  // useless elsewhere and after that day.
  Digest key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  key = hmac_sha256(as_text(key), scope.region);
  key = hmac_sha256(as_text(key), scope.service);
  key = hmac_sha256(as_text(key), "aws4_request");
  Digest signature = hmac_sha256(as_text(key), out.string_to_sign);
  out.signature = hex(signature.data(), signature.size());

  out.authorization =
      fmt::format("AWS4-HMAC-SHA256 Credential={}/{}, SignedHeaders={}, Signature={}",
                  credentials.access_key_id, credential_scope, out.signed_headers, out.signature);
  return out;
}

}  // namespace sre::aws
