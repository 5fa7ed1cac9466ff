// SigV4 against AWS's published Signature Version 4 test suite (credentials AKIDEXAMPLE,
// us-east-1, service "service", 2015-08-30T12:36:00Z). Each case gives the request as the
// suite's .req file has it and the Authorization its .authz file expects; some also check the
// intermediate canonical request (.creq) and string to sign (.sts).
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace sre::aws {
namespace {

Credentials suite_credentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
}
SigningScope suite_scope() {
  return {"us-east-1", "service"};
}
constexpr std::string_view kSuiteDate = "20150830T123600Z";
constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers suite_headers(Headers extra = {}) {
  Headers headers{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", std::string(kSuiteDate)}};
  headers.insert(headers.end(), extra.begin(), extra.end());
  return headers;
}

std::string authorization(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         std::string(signed_headers) + ", Signature=" + std::string(signature);
}

struct SuiteCase {
  std::string name;
  SignableRequest request;
  std::string expected_authorization;
};

// Test names in failure output instead of the struct's bytes.
void PrintTo(const SuiteCase& test, std::ostream* out) {
  *out << test.name;
}

class SuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SuiteTest, AuthorizationMatchesThePublishedOne) {
  const auto& test = GetParam();
  auto signature = sign_v4(test.request, suite_credentials(), suite_scope(), kSuiteDate);
  EXPECT_EQ(signature.authorization, test.expected_authorization);
}

constexpr std::string_view kStsToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfp"
    "SPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPky"
    "QDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz"
    "+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

INSTANTIATE_TEST_SUITE_P(
    AwsSigV4TestSuite, SuiteTest,
    ::testing::Values(
        SuiteCase{"get_vanilla",
                  {"GET", "/", "", suite_headers(), ""},
                  authorization("host;x-amz-date",
                                "5fa00fa31553b73ebf1942676e86291e8372ff2a22609"
                                "56d9b8aae1d763fbf31")},
        SuiteCase{"post_vanilla",
                  {"POST", "/", "", suite_headers(), ""},
                  authorization("host;x-amz-date",
                                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e"
                                "37dddb68e92efbe5d6b")},
        SuiteCase{"get_vanilla_query_order_key_case",
                  {"GET", "/", "Param2=value2&Param1=value1", suite_headers(), ""},
                  authorization("host;x-amz-date",
                                "b97d918cfa904a5beff61c982a1b6f458b799221646ef"
                                "d99d3219ec94cdf2500")},
        SuiteCase{"get_vanilla_query_order_value",
                  {"GET", "/", "Param1=value2&Param1=value1", suite_headers(), ""},
                  authorization("host;x-amz-date",
                                "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7"
                                "c60486157bd471c4694")},
        SuiteCase{"get_vanilla_utf8_query",
                  {"GET", "/", "\xE1\x88\xB4=bar", suite_headers(), ""},
                  authorization("host;x-amz-date",
                                "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a"
                                "1d91e12c9027818dd04")},
        SuiteCase{"get_unreserved",
                  {"GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "",
                   suite_headers(), ""},
                  authorization("host;x-amz-date",
                                "07ef7494c76fa4850883e2b006601f940f8a34d404d0c"
                                "fa977f52a65bbf5f24f")},
        SuiteCase{
            "get_header_value_trim",
            {"GET", "/", "",
             suite_headers({{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}), ""},
            authorization("host;my-header1;my-header2;x-amz-date",
                          "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")},
        SuiteCase{
            "post_x_www_form_urlencoded",
            {"POST", "/", "",
             suite_headers({{"Content-Type", "application/x-www-form-urlencoded"}}),
             "Param1=value1"},
            authorization("content-type;host;x-amz-date",
                          "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")},
        SuiteCase{
            "post_sts_header_before",
            {"POST", "/", "", suite_headers({{"X-Amz-Security-Token", std::string(kStsToken)}}),
             ""},
            authorization("host;x-amz-date;x-amz-security-token",
                          "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")}),
    [](const auto& info) { return info.param.name; });

TEST(SigV4, CanonicalRequestAndStringToSignOfFormPost) {
  SignableRequest request{"POST", "/", "",
                          suite_headers({{"Content-Type", "application/x-www-form-urlencoded"}}),
                          "Param1=value1"};
  auto signature = sign_v4(request, suite_credentials(), suite_scope(), kSuiteDate);
  EXPECT_EQ(
      signature.canonical_request,
      "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(signature.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
  EXPECT_EQ(signature.signed_headers, "content-type;host;x-amz-date");
}

TEST(SigV4, CanonicalQuerySortsRepeatedNamesByValue) {
  SignableRequest request{"GET", "/", "Param1=value2&Param1=value1", suite_headers(), ""};
  auto signature = sign_v4(request, suite_credentials(), suite_scope(), kSuiteDate);
  EXPECT_EQ(signature.canonical_request,
            "GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                std::string(kEmptyPayloadHash));
}

TEST(SigV4, RepeatedHeaderBecomesOneCommaJoinedLineInOrderSent) {
  SignableRequest request{
      "GET", "/", "",
      suite_headers({{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}),
      ""};
  auto signature = sign_v4(request, suite_credentials(), suite_scope(), kSuiteDate);
  EXPECT_NE(signature.canonical_request.find("my-header1:value2,value2,value1\n"),
            std::string::npos)
      << signature.canonical_request;
  // The published get-header-key-duplicate signature.
  EXPECT_EQ(signature.signature,
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
}

TEST(SigV4, AlreadyEncodedQueryIsNotEncodedTwice) {
  SignableRequest raw{"GET", "/", "\xE1\x88\xB4=bar", suite_headers(), ""};
  SignableRequest encoded{"GET", "/", "%E1%88%B4=bar", suite_headers(), ""};
  EXPECT_EQ(sign_v4(raw, suite_credentials(), suite_scope(), kSuiteDate).signature,
            sign_v4(encoded, suite_credentials(), suite_scope(), kSuiteDate).signature);
}

TEST(SigV4, UriEncodeKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(uri_encode("a b/c+d=e~f_g.h-i", true), "a%20b/c%2Bd%3De~f_g.h-i");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(uri_encode("\xE1\x88\xB4", false), "%E1%88%B4");
}

TEST(SigV4, AmzDateIsBasicIso8601InUtc) {
  using namespace std::chrono;
  auto time = sys_days{year{2015} / 8 / 30} + hours{12} + minutes{36} + milliseconds{999};
  EXPECT_EQ(amz_date(time), "20150830T123600Z");
}

TEST(SigV4, Sha256OfEmptyPayload) {
  EXPECT_EQ(sha256_hex(""), kEmptyPayloadHash);
}

}  // namespace
}  // namespace sre::aws
