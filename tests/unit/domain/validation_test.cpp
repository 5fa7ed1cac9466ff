#include "domain/validation.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sre::domain {
namespace {

FieldErrors errors_of(std::string_view body, StudentInput mode = StudentInput::full) {
  auto result = validate_student(boost::json::parse(body), mode);
  if (auto* errors = std::get_if<FieldErrors>(&result)) {
    return *errors;
  }
  return {};
}

std::string loc_of(const FieldError& e) {
  return boost::json::serialize(e.loc);
}

TEST(ValidateStudent, AcceptsAValidStudentAndTrimsNames) {
  auto result = validate_student(
      boost::json::parse(R"({"first_name":"  Ada ","last_name":"Lovelace","grade":7,"x":1})"),
      StudentInput::full);
  ASSERT_TRUE(std::holds_alternative<StudentFields>(result));
  const auto& fields = std::get<StudentFields>(result);
  EXPECT_EQ(*fields.first_name, "Ada");
  EXPECT_EQ(*fields.last_name, "Lovelace");
  EXPECT_EQ(*fields.grade, 7);
}

TEST(ValidateStudent, ReportsEveryMissingField) {
  auto errors = errors_of("{}");
  ASSERT_EQ(errors.size(), 3U);
  EXPECT_EQ(loc_of(errors[0]), R"(["body","first_name"])");
  EXPECT_EQ(loc_of(errors[1]), R"(["body","last_name"])");
  EXPECT_EQ(loc_of(errors[2]), R"(["body","grade"])");
  for (const auto& e : errors) {
    EXPECT_EQ(e.type, "missing");
    EXPECT_EQ(e.msg, "Field required");
  }
}

struct BadBody {
  const char* body;
  const char* field;
  const char* type;
};

class InvalidStudent : public testing::TestWithParam<BadBody> {};

TEST_P(InvalidStudent, GivesOneErrorForTheField) {
  auto errors = errors_of(GetParam().body);
  ASSERT_EQ(errors.size(), 1U) << GetParam().body;
  EXPECT_EQ(loc_of(errors[0]), std::string(R"(["body",")") + GetParam().field + "\"]");
  EXPECT_EQ(errors[0].type, GetParam().type);
}

INSTANTIATE_TEST_SUITE_P(
    Validation, InvalidStudent,
    testing::Values(
        BadBody{R"({"first_name":"","last_name":"B","grade":1})", "first_name", "string_too_short"},
        BadBody{R"({"first_name":"   ","last_name":"B","grade":1})", "first_name",
                "string_too_short"},
        BadBody{R"({"first_name":5,"last_name":"B","grade":1})", "first_name", "string_type"},
        BadBody{R"({"first_name":null,"last_name":"B","grade":1})", "first_name", "string_type"},
        BadBody{R"({"first_name":"A","last_name":"B\u0000C","grade":1})", "last_name",
                "string_pattern_mismatch"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":0})", "grade", "greater_than_equal"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":13})", "grade", "less_than_equal"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":-99999999999999999999})", "grade",
                "greater_than_equal"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":99999999999999999999})", "grade",
                "less_than_equal"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":"7"})", "grade", "int_type"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":7.5})", "grade", "int_type"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":true})", "grade", "int_type"},
        BadBody{R"({"first_name":"A","last_name":"B","grade":null})", "grade", "int_type"}),
    [](const testing::TestParamInfo<BadBody>& info) {
      return "case" + std::to_string(info.index) + "_" + info.param.type;
    });

TEST(ValidateStudent, NameLengthCountsCharactersNotBytes) {
  std::string hundred_e_acute;
  for (int i = 0; i < 100; ++i) {
    hundred_e_acute += "\u00e9";  // two bytes each
  }
  auto ok = errors_of(R"({"first_name":")" + hundred_e_acute + R"(","last_name":"B","grade":1})");
  EXPECT_TRUE(ok.empty());
  const std::string long_name(kMaxNameLength + 1, 'x');
  auto too_long = errors_of(R"({"first_name":")" + long_name + R"(","last_name":"B","grade":1})");
  ASSERT_EQ(too_long.size(), 1U);
  EXPECT_EQ(too_long[0].type, "string_too_long");
}

std::string name_body(std::string_view json_escaped_name) {
  return R"({"first_name":")" + std::string(json_escaped_name) + R"(","last_name":"B","grade":1})";
}

TEST(ValidateStudent, RefusesUnicodeControlsSeparatorsAndNoncharacters) {
  for (std::string_view name :
       {"A\\u0080B", "A\\u009b[31mB", "A\\u009fB", "A\\u2028B", "A\\u2029B", "A\\uFFFEB",
        "A\\uFFFFB", "A\\uFDD0B", "A\\ud83f\\udffeB" /* U+1FFFE */}) {
    auto errors = errors_of(name_body(name));
    ASSERT_EQ(errors.size(), 1U) << name;
    EXPECT_EQ(errors[0].type, "string_pattern_mismatch") << name;
  }
}

TEST(ValidateStudent, TrimsUnicodeSpaces) {
  for (std::string_view blank :
       {"\\u00a0", "\\u3000", "\\u2003", "\\u200b", "\\ufeff", "\\u00a0\\u3000 \\u200b"}) {
    auto errors = errors_of(name_body(blank));
    ASSERT_EQ(errors.size(), 1U) << blank;
    EXPECT_EQ(errors[0].type, "string_too_short") << blank;
  }
  auto result = validate_student(
      boost::json::parse(name_body("\\u3000Zo\\u00eb\\u00a0Smith\\u200b ")), StudentInput::full);
  ASSERT_TRUE(std::holds_alternative<StudentFields>(result));
  EXPECT_EQ(*std::get<StudentFields>(result).first_name, "Zo\u00eb\u00a0Smith");
}

TEST(ValidateStudent, SpacesInsideANameCountTowardsItsLength) {
  std::string name = "A";
  for (int i = 0; i < 98; ++i) {
    name += "\\u3000";
  }
  EXPECT_TRUE(errors_of(name_body(name + "B")).empty());  // 100 characters
  auto too_long = errors_of(name_body(name + "BC"));
  ASSERT_EQ(too_long.size(), 1U);
  EXPECT_EQ(too_long[0].type, "string_too_long");
}

TEST(ValidateStudent, IntegralFloatGradeIsAccepted) {
  EXPECT_TRUE(errors_of(R"({"first_name":"A","last_name":"B","grade":7.0})").empty());
}

TEST(ValidateStudent, PatchAcceptsASubsetAndChecksWhatIsThere) {
  auto result = validate_student(boost::json::parse(R"({"grade":3})"), StudentInput::partial);
  ASSERT_TRUE(std::holds_alternative<StudentFields>(result));
  EXPECT_FALSE(std::get<StudentFields>(result).first_name);
  EXPECT_EQ(*std::get<StudentFields>(result).grade, 3);
  auto errors = errors_of(R"({"last_name":""})", StudentInput::partial);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].type, "string_too_short");
}

TEST(ValidateStudent, NonObjectBodyIsOneError) {
  for (const char* body : {"[]", "\"text\"", "42", "null"}) {
    auto errors = errors_of(body);
    ASSERT_EQ(errors.size(), 1U) << body;
    EXPECT_EQ(errors[0].type, "model_attributes_type");
    EXPECT_EQ(loc_of(errors[0]), R"(["body"])");
  }
}

TEST(ValidatePage, DefaultsAndBounds) {
  auto page = validate_page({}, {});
  ASSERT_TRUE(std::holds_alternative<Page>(page));
  EXPECT_EQ(std::get<Page>(page).skip, 0);
  EXPECT_EQ(std::get<Page>(page).limit, 100);

  auto custom = validate_page({"20"}, {"1000"});
  ASSERT_TRUE(std::holds_alternative<Page>(custom));
  EXPECT_EQ(std::get<Page>(custom).skip, 20);
  EXPECT_EQ(std::get<Page>(custom).limit, 1000);
}

TEST(ValidatePage, ReportsEachBadParameter) {
  auto result = validate_page({"-1"}, {"1001"});
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(result));
  const auto& errors = std::get<FieldErrors>(result);
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(loc_of(errors[0]), R"(["query","skip"])");
  EXPECT_EQ(errors[0].type, "greater_than_equal");
  EXPECT_EQ(loc_of(errors[1]), R"(["query","limit"])");
  EXPECT_EQ(errors[1].type, "less_than_equal");

  for (const char* text : {"abc", "", "1.5", "10x", "99999999999999999999999"}) {
    auto bad = validate_page({}, {text});
    ASSERT_TRUE(std::holds_alternative<FieldErrors>(bad)) << text;
    EXPECT_EQ(std::get<FieldErrors>(bad)[0].type, "int_parsing") << text;
  }
  auto zero = validate_page({}, {"0"});
  EXPECT_EQ(std::get<FieldErrors>(zero)[0].type, "greater_than_equal");
}

TEST(ValidatePage, ARepeatedParameterIsValidatedInFullAndTheLastCounts) {
  auto last = validate_page({"1", "7"}, {"5", "2"});
  ASSERT_TRUE(std::holds_alternative<Page>(last));
  EXPECT_EQ(std::get<Page>(last).skip, 7);
  EXPECT_EQ(std::get<Page>(last).limit, 2);
  for (const std::vector<std::string>& limits :
       {std::vector<std::string>{"2", "abc"}, std::vector<std::string>{"abc", "2"}}) {
    auto bad = validate_page({}, limits);
    ASSERT_TRUE(std::holds_alternative<FieldErrors>(bad)) << limits[0];
    const auto& errors = std::get<FieldErrors>(bad);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].type, "int_parsing");
  }
  auto out_of_range = validate_page({}, {"2", "5000"});
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(out_of_range));
  EXPECT_EQ(std::get<FieldErrors>(out_of_range)[0].type, "less_than_equal");
}

TEST(ValidatePage, AfterTakesAGeneratedStudentIdAndTheLimit) {
  auto page = validate_page({}, {"20"}, {"STU-1A2B3C4D"});
  ASSERT_TRUE(std::holds_alternative<Page>(page));
  EXPECT_EQ(std::get<Page>(page).after, "STU-1A2B3C4D");
  EXPECT_EQ(std::get<Page>(page).skip, 0);
  EXPECT_EQ(std::get<Page>(page).limit, 20);
  EXPECT_FALSE(std::get<Page>(validate_page({"3"}, {})).after) << "no after: offset paging";

  auto last = validate_page({}, {}, {"STU-00000001", "STU-FFFFFFFF"});
  ASSERT_TRUE(std::holds_alternative<Page>(last));
  EXPECT_EQ(std::get<Page>(last).after, "STU-FFFFFFFF") << "the last value counts";
}

TEST(ValidatePage, AfterThatIsNoStudentIdIsRefused) {
  for (const char* text : {"", "STU-1a2b3c4d", "STU-1A2B3C4", "STU-1A2B3C4D5", "1A2B3C4D",
                           "STU-1A2B3C4G", "42", "STU-123"}) {
    auto bad = validate_page({}, {}, {text});
    ASSERT_TRUE(std::holds_alternative<FieldErrors>(bad)) << text;
    const auto& errors = std::get<FieldErrors>(bad);
    ASSERT_EQ(errors.size(), 1U) << text;
    EXPECT_EQ(loc_of(errors[0]), R"(["query","after"])") << text;
    EXPECT_EQ(errors[0].type, "string_pattern_mismatch") << text;
  }
  auto one_bad = validate_page({}, {}, {"STU-1A2B3C4D", "nope"});
  EXPECT_TRUE(std::holds_alternative<FieldErrors>(one_bad)) << "every value must be valid";
}

TEST(ValidatePage, AfterTogetherWithSkipIsRefused) {
  for (const char* skip : {"0", "5"}) {
    auto both = validate_page({skip}, {"10"}, {"STU-1A2B3C4D"});
    ASSERT_TRUE(std::holds_alternative<FieldErrors>(both)) << skip;
    const auto& errors = std::get<FieldErrors>(both);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(loc_of(errors[0]), R"(["query","after"])");
    EXPECT_EQ(errors[0].type, "value_error");
  }
}

}  // namespace
}  // namespace sre::domain
