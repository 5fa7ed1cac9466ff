// The settings machinery (core/config.h, core/config_cli.h) on a small options struct of its
// own: each value parser's edges, rows, nest(), build(), describe(), document(), the flags
// and the .env file. The rows of the real programs are tested in config_rows_test.cpp.
#include "core/config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "core/config_cli.h"

namespace sre::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

template <typename T>
bool accepts(const ValueParser<T>& parser, std::string_view text) {
  return std::holds_alternative<T>(parser.parse(text));
}

template <typename T>
T value_of(const ValueParser<T>& parser, std::string_view text) {
  auto parsed = parser.parse(text);
  EXPECT_TRUE(std::holds_alternative<T>(parsed)) << text;
  return std::holds_alternative<T>(parsed) ? std::get<T>(parsed) : T{};
}

// --- value parsers ---------------------------------------------------------------------------

TEST(IntegerIn, AcceptsTheBoundsAndRefusesJustOutside) {
  auto port = integer_in<std::uint16_t>(1, 65535);
  EXPECT_EQ(value_of(port, "1"), 1);
  EXPECT_EQ(value_of(port, "65535"), 65535);
  for (auto text : {"0", "65536", "-1", "", " 80", "80 ", "80a", "1.5", "0x10"}) {
    EXPECT_FALSE(accepts(port, text)) << text;
  }
  auto refused = std::get<Refusal>(port.parse("70000"));
  EXPECT_EQ(refused.reason, "'70000' is not an integer in 1..65535");
  EXPECT_EQ(port.show(8000), "8000");
  EXPECT_EQ(port.accepts, "integer 1..65535");
}

TEST(DurationIn, CountsItsUnitAndStoresTheDuration) {
  auto timeout = duration_in<milliseconds>(1, 600000);
  EXPECT_EQ(value_of(timeout, "250"), milliseconds(250));
  EXPECT_FALSE(accepts(timeout, "0"));
  EXPECT_FALSE(accepts(timeout, "600001"));
  EXPECT_EQ(timeout.show(milliseconds(250)), "250");

  // A setting in seconds kept in milliseconds reads and shows in seconds.
  auto open_for = duration_in<milliseconds, seconds>(1, 86400);
  EXPECT_EQ(value_of(open_for, "60"), milliseconds(60000));
  EXPECT_EQ(open_for.show(milliseconds(60000)), "60");
  EXPECT_FALSE(accepts(open_for, "86401"));
}

TEST(NumberIn, AcceptsTheClosedRangeOfFiniteNumbers) {
  auto rate = number_in(0, 1);
  EXPECT_DOUBLE_EQ(value_of(rate, "0"), 0.0);
  EXPECT_DOUBLE_EQ(value_of(rate, "1"), 1.0);
  EXPECT_DOUBLE_EQ(value_of(rate, "0.25"), 0.25);
  for (auto text : {"1.0001", "-0.1", "nan", "inf", "", "0.5x", " 0.5"}) {
    EXPECT_FALSE(accepts(rate, text)) << text;
  }
  EXPECT_EQ(rate.show(1.0), "1.0");
  EXPECT_EQ(rate.show(0.1), "0.1");
}

TEST(Boolean, KnowsFourSpellingsOfEach) {
  auto flag = boolean();
  for (auto text : {"true", "1", "yes", "on"}) {
    EXPECT_TRUE(value_of(flag, text)) << text;
  }
  for (auto text : {"false", "0", "no", "off"}) {
    EXPECT_FALSE(value_of(flag, text)) << text;
  }
  for (auto text : {"", "maybe", "TRUE ", "2"}) {
    EXPECT_FALSE(accepts(flag, text)) << text;
  }
  EXPECT_EQ(flag.show(true), "true");
}

TEST(TextParsers, NonEmptyRefusesOnlyEmptyOneOfOnlyItsWords) {
  EXPECT_FALSE(accepts(non_empty_text(), ""));
  EXPECT_EQ(value_of(non_empty_text(), "a b"), "a b");
  EXPECT_EQ(value_of(any_text(), ""), "");
  auto level = one_of({"debug", "info"});
  EXPECT_EQ(value_of(level, "info"), "info");
  EXPECT_FALSE(accepts(level, "loud"));
  EXPECT_FALSE(accepts(level, "INFO"));
  EXPECT_EQ(level.accepts, "debug or info");
}

TEST(IpAddress, AcceptsV4AndV6AddressesOnly) {
  for (auto text : {"0.0.0.0", "127.0.0.1", "::", "::1"}) {
    EXPECT_EQ(value_of(ip_address(), text), text);
  }
  for (auto text : {"", "localhost", "256.0.0.1", "10.0.0.0/8"}) {
    EXPECT_FALSE(accepts(ip_address(), text)) << text;
  }
}

// An owner's parser: a "name:number" pair, as parse_redis_url or parse_policies would be.
struct Pair {
  std::string name;
  int number = 0;
};

Parsed<Pair> parse_pair(std::string_view text) {
  auto colon = text.find(':');
  auto number =
      colon == std::string_view::npos ? std::nullopt : parse_integer(text.substr(colon + 1));
  if (!number) {
    return std::string("expected name:number");
  }
  return Pair{std::string(text.substr(0, colon)), static_cast<int>(*number)};
}

std::string show_pair(const Pair& pair) {
  return pair.name + ":" + std::to_string(pair.number);
}

TEST(ParsedBy, StoresWhatTheOwnersParserReturns) {
  auto pair = parsed_by<Pair>(parse_pair, show_pair, "name:number");
  auto parsed = value_of(pair, "a:7");
  EXPECT_EQ(parsed.name, "a");
  EXPECT_EQ(parsed.number, 7);
  EXPECT_EQ(std::get<Refusal>(pair.parse("a")).reason, "expected name:number");
  EXPECT_EQ(pair.show(Pair{"b", 2}), "b:2");
}

TEST(OptionalParsedBy, EmptyIsUnsetAnythingElseMustParse) {
  auto pair = optional_parsed_by<Pair>(parse_pair, show_pair, "name:number");
  EXPECT_FALSE(value_of(pair, "").has_value());
  EXPECT_EQ(value_of(pair, "x:1")->number, 1);
  EXPECT_FALSE(accepts(pair, "x"));
  EXPECT_EQ(pair.show(std::nullopt), "");
}

// --- rows, nest, build, describe -------------------------------------------------------------

struct Limits {
  int size = 10;
  milliseconds timeout{250};
};

struct Toy {
  std::string name = "toy";
  std::string url;  // secret
  Limits limits;
};

std::vector<Setting<Limits>> limit_rows() {
  return {
      setting("SIZE", &Limits::size, integer_in<int>(1, 100), "How many"),
      setting("TIMEOUT_MS", &Limits::timeout, duration_in<milliseconds>(1, 1000), "How long"),
  };
}

const std::vector<Setting<Toy>>& toy_rows() {
  static const std::vector<Setting<Toy>> rows = concat<Toy>({
      {setting("NAME", &Toy::name, non_empty_text(), "Its name"),
       setting("URL", &Toy::url, any_text(), "Where | how", Visibility::secret)},
      nest(&Toy::limits, limit_rows()),
  });
  return rows;
}

TEST(Nest, LiftsAPartsRowsOntoTheWhole) {
  ASSERT_EQ(toy_rows().size(), 4U);
  EXPECT_EQ(toy_rows()[2].env, "SIZE");
  Toy toy;
  EXPECT_FALSE(toy_rows()[2].apply(toy, "42"));
  EXPECT_EQ(toy.limits.size, 42);
  EXPECT_EQ(toy_rows()[3].show(toy), "250");
  EXPECT_TRUE(toy_rows()[2].apply(toy, "101"));
  EXPECT_EQ(toy.limits.size, 42) << "a refused text leaves the field alone";
}

TEST(Build, StartsFromTheBaseAndNamesTheRefusedSetting) {
  auto defaults = build(toy_rows(), {});
  ASSERT_TRUE(defaults.options) << defaults.error;
  EXPECT_EQ(defaults.options->limits.size, 10);

  Toy base;
  base.name = "from-base";
  auto built = build(toy_rows(), {{"SIZE", "5"}, {"UNKNOWN", "ignored"}}, base);
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_EQ(built.options->name, "from-base");
  EXPECT_EQ(built.options->limits.size, 5);

  auto refused = build(toy_rows(), {{"TIMEOUT_MS", "0"}});
  EXPECT_FALSE(refused.options);
  EXPECT_EQ(refused.error, "invalid TIMEOUT_MS: '0' is not an integer in 1..1000");
}

TEST(Describe, OneLowerCaseKeyPerRowSecretsRedacted) {
  Toy toy;
  toy.url = "postgresql://admin:hunter2@db/app";
  auto described = describe(toy_rows(), toy);
  ASSERT_EQ(described.size(), toy_rows().size());
  EXPECT_EQ(described[0], std::make_pair(std::string("name"), std::string("toy")));
  EXPECT_EQ(described[1].second, "postgresql://admin:***@db/app");
  EXPECT_EQ(described[3], std::make_pair(std::string("timeout_ms"), std::string("250")));
}

TEST(RedactUrl, HidesThePasswordOnly) {
  EXPECT_EQ(redact_url("postgresql://admin:secret@db:5432/sredb"),
            "postgresql://admin:***@db:5432/sredb");
  EXPECT_EQ(redact_url("redis://:pw@cache:6379/0"), "redis://:***@cache:6379/0");
  EXPECT_EQ(redact_url("postgresql://admin@db/sredb"), "postgresql://admin@db/sredb");
  EXPECT_EQ(redact_url("sqlite:///data/x.db"), "sqlite:///data/x.db");
  EXPECT_EQ(redact_url(""), "");
}

TEST(Document, DefaultsFromTheDefaultStructAndAMarkdownRowEach) {
  Toy defaults;
  defaults.url = "redis://:pw@h:1/0";
  auto docs = document(toy_rows(), defaults);
  ASSERT_EQ(docs.size(), 4U);
  EXPECT_EQ(docs[1].default_text, "redis://:***@h:1/0") << "secret defaults are redacted too";
  EXPECT_EQ(docs[3].flag(), "--timeout-ms");
  EXPECT_EQ(markdown_table(document(toy_rows())),
            "| Variable | Default | Accepted | Meaning |\n"
            "| --- | --- | --- | --- |\n"
            "| `NAME` | `toy` | non-empty text | Its name |\n"
            "| `URL` | unset | text | Where \\| how (or the file URL_FILE names) |\n"
            "| `SIZE` | `10` | integer 1..100 | How many |\n"
            "| `TIMEOUT_MS` | `250` | integer 1..1000 | How long |\n");
}

TEST(FlagOf, IsTheEnvNameInKebabCase) {
  EXPECT_EQ(flag_of("HOST"), "--host");
  EXPECT_EQ(flag_of("SHUTDOWN_DELAY_SECONDS"), "--shutdown-delay-seconds");
}

// --- precedence: default < .env < environment < flag -----------------------------------------

class Precedence : public testing::Test {
 protected:
  void TearDown() override {
    for (auto name : {"NAME", "SIZE", "TIMEOUT_MS", "URL", "URL_FILE"}) {
      unsetenv(name);
    }
  }

  Built<Toy> parse(std::vector<std::string> args) {
    CLI::App cli;
    SettingsFlags<Toy> flags(cli, toy_rows());
    args.insert(args.begin(), "toy");
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    cli.parse(static_cast<int>(argv.size()), argv.data());
    return flags.build();
  }
};

TEST_F(Precedence, DefaultThenDotenvThenEnvironmentThenFlag) {
  auto dotenv = testing::TempDir() + "/precedence.env";
  {
    std::ofstream file(dotenv);
    file << "NAME=from-dotenv\nSIZE=2\nTIMEOUT_MS=3\n";
  }
  setenv("SIZE", "20", 1);
  setenv("TIMEOUT_MS", "30", 1);
  load_dotenv_file(dotenv);  // does not override SIZE and TIMEOUT_MS
  auto built = parse({"--timeout-ms", "300"});
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_EQ(built.options->name, "from-dotenv");
  EXPECT_EQ(built.options->limits.size, 20);
  EXPECT_EQ(built.options->limits.timeout, milliseconds(300));
  EXPECT_EQ(parse({}).options->limits.timeout, milliseconds(30));
  unsetenv("NAME");
  EXPECT_EQ(parse({}).options->name, "toy");
}

TEST_F(Precedence, ASecretComesFromItsVariableOrFileNeverFromAFlag) {
  setenv("URL", "postgresql://u:from-env@h/db", 1);
  EXPECT_EQ(parse({}).options->url, "postgresql://u:from-env@h/db");
  auto file = testing::TempDir() + "/url_secret";
  {
    std::ofstream out(file);
    out << "postgresql://u:from-file@h/db\n";
  }
  unsetenv("URL");
  setenv("URL_FILE", file.c_str(), 1);
  EXPECT_EQ(parse({}).options->url, "postgresql://u:from-file@h/db");
  // A flag would put the password in every user's `ps`: refused, the value not repeated,
  // whether the variable is unset or set to something else.
  unsetenv("URL_FILE");
  for (bool variable_set : {false, true}) {
    if (variable_set) {
      setenv("URL", "postgresql://u:from-env@h/db", 1);
    }
    auto built = parse({"--url", "postgresql://u:from-flag@h/db"});
    EXPECT_FALSE(built.options) << variable_set;
    EXPECT_NE(built.error.find("URL"), std::string::npos) << built.error;
    EXPECT_EQ(built.error.find("from-flag"), std::string::npos) << built.error;
  }
  // A plain setting may come from a flag.
  EXPECT_EQ(parse({"--name", "flagged"}).options->name, "flagged");
}

TEST_F(Precedence, HelpMarkdownFlagIsNoted) {
  CLI::App cli;
  SettingsFlags<Toy> flags(cli, toy_rows());
  std::vector<std::string> args{"toy", "--help-markdown"};
  std::vector<char*> argv{args[0].data(), args[1].data()};
  cli.parse(2, argv.data());
  EXPECT_TRUE(flags.markdown_requested());
  EXPECT_EQ(flags.markdown(), markdown_table(document(toy_rows())));
}

TEST(Dotenv, ParsesCommentsQuotesAndExport) {
  auto entries = parse_dotenv(
      "# comment\n"
      "ENVIRONMENT=staging\n"
      "export PORT=9001\n"
      "  LOG_LEVEL = \"debug\"  \n"
      "APP_NAME='my app'\n"
      "DATA_DIR=/var/data # trailing comment\n"
      "not a pair\n"
      "\n");
  ASSERT_EQ(entries.size(), 5U);
  EXPECT_EQ(entries[0], std::make_pair(std::string("ENVIRONMENT"), std::string("staging")));
  EXPECT_EQ(entries[1], std::make_pair(std::string("PORT"), std::string("9001")));
  EXPECT_EQ(entries[2], std::make_pair(std::string("LOG_LEVEL"), std::string("debug")));
  EXPECT_EQ(entries[3], std::make_pair(std::string("APP_NAME"), std::string("my app")));
  EXPECT_EQ(entries[4], std::make_pair(std::string("DATA_DIR"), std::string("/var/data")));
}

}  // namespace
}  // namespace sre::core
