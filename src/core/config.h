// Settings machinery: a row per setting (environment name, help, how its text is parsed into a
// typed field), the parsers every row is built from, and what a program does with its rows:
// build its typed options from text, describe them for the start-up log, document them.
//
// The rows live with their owners: each folder that has settings declares a typed options
// struct and a table of Setting<ThatOptions> rows next to the code that uses them. A program
// lifts the tables of the folders it uses onto its own config struct with nest() and
// concatenates them; that one table then drives the environment, the flags, --help,
// describe() and the README. Adding a setting is one row in its owner's table.
//
// Precedence (12-factor): built-in default < `.env` file < process environment < command-line
// flag. Everything here is pure (no I/O) so it can be unit tested; core/config_cli.h binds
// the rows to CLI11 and loads the `.env` file.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sre::core {

// What an owner's parser returns (parse_redis_url, parse_policies, ...): the value, or a
// one-line reason the text is refused.
template <typename T>
using Parsed = std::variant<T, std::string>;

// The reason a value parser refuses a text: its own type, so that text settings can be
// parsed too (a std::variant<std::string, std::string> could not tell them apart).
struct Refusal {
  std::string reason;
};
template <typename T>
using ParseResult = std::variant<T, Refusal>;

// How one kind of value is read from its text and shown again.
template <typename T>
struct ValueParser {
  std::function<ParseResult<T>(std::string_view)> parse;
  std::function<std::string(const T&)> show;
  std::string accepts;  // what the text may be, for the README: "integer 1..65535"
};

// --- value parsers ---------------------------------------------------------------------------

// The plain text parsers the templates below are made of: nullopt when `text` is not one.
std::optional<long long> parse_integer(std::string_view text);
std::optional<double> parse_number(std::string_view text);
// 0.5 -> "0.5", 1 -> "1.0": a number always reads as one.
std::string show_number(double value);

// An integer in [min, max], stored as T (int, unsigned, std::uint16_t, std::size_t, ...).
template <typename T>
ValueParser<T> integer_in(long long min, long long max) {
  return {[min, max](std::string_view text) -> ParseResult<T> {
            auto value = parse_integer(text);
            if (!value || *value < min || *value > max) {
              return Refusal{fmt::format("'{}' is not an integer in {}..{}", text, min, max)};
            }
            return static_cast<T>(*value);
          },
          [](const T& value) { return std::to_string(value); },
          fmt::format("integer {}..{}", min, max)};
}

// A whole number of `Unit`s in [min, max], stored as the duration `Stored` (a setting in
// seconds kept as milliseconds, for one).
template <typename Stored, typename Unit = Stored>
ValueParser<Stored> duration_in(long long min, long long max) {
  return {[min, max](std::string_view text) -> ParseResult<Stored> {
            auto value = parse_integer(text);
            if (!value || *value < min || *value > max) {
              return Refusal{fmt::format("'{}' is not an integer in {}..{}", text, min, max)};
            }
            return std::chrono::duration_cast<Stored>(Unit(*value));
          },
          [](const Stored& value) {
            return std::to_string(std::chrono::duration_cast<Unit>(value).count());
          },
          fmt::format("integer {}..{}", min, max)};
}

// A finite number in [min, max].
ValueParser<double> number_in(double min, double max);
// true/false (also 1/0, yes/no, on/off).
ValueParser<bool> boolean();
// Any text, empty included.
ValueParser<std::string> any_text();
ValueParser<std::string> non_empty_text();
// One of a fixed list of words.
ValueParser<std::string> one_of(std::vector<std::string> words);
// An IP address to listen on (0.0.0.0, 127.0.0.1, ::), kept as its text.
ValueParser<std::string> ip_address();

// Text checked and converted by the owner's own parser (REDIS_URL, RATE_LIMITS, ...): the
// stored value is what `parse` returns, never the text.
template <typename T>
ValueParser<T> parsed_by(std::function<Parsed<T>(std::string_view)> parse,
                         std::function<std::string(const T&)> show, std::string accepts) {
  return {[parse = std::move(parse)](std::string_view text) -> ParseResult<T> {
            auto parsed = parse(text);
            if (auto* error = std::get_if<std::string>(&parsed)) {
              return Refusal{std::move(*error)};
            }
            return std::move(std::get<T>(parsed));
          },
          std::move(show), std::move(accepts)};
}

// The same for a setting that may be left unset: empty text is std::nullopt.
template <typename T>
ValueParser<std::optional<T>> optional_parsed_by(std::function<Parsed<T>(std::string_view)> parse,
                                                 std::function<std::string(const T&)> show,
                                                 std::string accepts) {
  return {[parse = std::move(parse)](std::string_view text) -> ParseResult<std::optional<T>> {
            if (text.empty()) {
              return std::optional<T>{};
            }
            auto parsed = parse(text);
            if (auto* error = std::get_if<std::string>(&parsed)) {
              return Refusal{std::move(*error)};
            }
            return std::optional<T>(std::move(std::get<T>(parsed)));
          },
          [show = std::move(show)](const std::optional<T>& value) {
            return value ? show(*value) : std::string();
          },
          std::move(accepts)};
}

// --- rows ------------------------------------------------------------------------------------

enum class Visibility : bool { plain, secret };

// One configurable setting of an options struct.
template <typename Options>
struct Setting {
  std::string env;      // HOST
  std::string help;     // one line, for --help and the README
  std::string accepts;  // "integer 1..65535"
  Visibility visibility = Visibility::plain;
  // Parses `text` into the options; the reason (without the setting's name) when refused.
  std::function<std::optional<std::string>(Options&, std::string_view)> apply;
  // The current value as text (secrets not yet redacted: see shown()).
  std::function<std::string(const Options&)> show;
};

// The command-line flag of an environment name: HOST -> --host, SHUTDOWN_DELAY -> --shutdown-delay.
std::string flag_of(std::string_view env);
// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string redact_url(std::string_view url);

// A row binding `field` of Options to the environment variable `env`.
template <typename Options, typename T>
Setting<Options> setting(std::string env, T Options::*field, ValueParser<T> parser,
                         std::string help, Visibility visibility = Visibility::plain) {
  return {std::move(env),
          std::move(help),
          parser.accepts,
          visibility,
          [field, parse = parser.parse](Options& options,
                                        std::string_view text) -> std::optional<std::string> {
            auto parsed = parse(text);
            if (auto* refusal = std::get_if<Refusal>(&parsed)) {
              return std::move(refusal->reason);
            }
            options.*field = std::move(std::get<T>(parsed));
            return std::nullopt;
          },
          [field, show = parser.show](const Options& options) { return show(options.*field); }};
}

// Lifts a part's rows onto the struct that holds the part as `member`: how a program takes
// the rows of the folders it uses (nest(&ServeConfig::cache, cache::settings())).
template <typename Whole, typename Part>
std::vector<Setting<Whole>> nest(Part Whole::*member, const std::vector<Setting<Part>>& rows) {
  std::vector<Setting<Whole>> lifted;
  lifted.reserve(rows.size());
  for (const auto& row : rows) {
    lifted.push_back(
        {row.env, row.help, row.accepts, row.visibility,
         [member, apply = row.apply](Whole& whole, std::string_view text) {
           return apply(whole.*member, text);
         },
         [member, show = row.show](const Whole& whole) { return show(whole.*member); }});
  }
  return lifted;
}

// One table from several, in order.
template <typename Options>
std::vector<Setting<Options>> concat(std::initializer_list<std::vector<Setting<Options>>> tables) {
  std::vector<Setting<Options>> all;
  for (const auto& table : tables) {
    all.insert(all.end(), table.begin(), table.end());
  }
  return all;
}

// The value of a row as it may be logged: a secret's URL password is redacted.
template <typename Options>
std::string shown(const Setting<Options>& row, const Options& options) {
  auto text = row.show(options);
  return row.visibility == Visibility::secret ? redact_url(text) : text;
}

// --- what a program does with its rows -------------------------------------------------------

template <typename Options>
struct Built {
  std::optional<Options> options;
  std::string error;  // when !options: one line naming the offending setting
};

std::string invalid_setting(std::string_view env, std::string_view reason);

// Applies text values (from env, .env or flags; keyed by environment name) on top of `base`.
template <typename Options>
Built<Options> build(const std::vector<Setting<Options>>& rows,
                     const std::map<std::string, std::string>& values, Options base = {}) {
  for (const auto& row : rows) {
    auto it = values.find(row.env);
    if (it == values.end()) {
      continue;
    }
    if (auto error = row.apply(base, it->second)) {
      return {std::nullopt, invalid_setting(row.env, *error)};
    }
  }
  return {std::move(base), ""};
}

// The effective configuration for the start-up log and the config JSON: one (lower-case
// environment name, value) pair per row, secrets redacted.
std::string key_of(std::string_view env);
template <typename Options>
std::vector<std::pair<std::string, std::string>> describe(const std::vector<Setting<Options>>& rows,
                                                          const Options& options) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.emplace_back(key_of(row.env), shown(row, options));
  }
  return out;
}

// A row as documentation: what --help and the README show.
struct SettingDoc {
  std::string env;
  std::string default_text;  // empty: unset
  std::string accepts;
  std::string help;
  bool secret = false;  // may also come from the file named by <env>_FILE
  std::string flag() const { return flag_of(env); }
};

template <typename Options>
std::vector<SettingDoc> document(const std::vector<Setting<Options>>& rows,
                                 const Options& defaults = {}) {
  std::vector<SettingDoc> docs;
  docs.reserve(rows.size());
  for (const auto& row : rows) {
    // A secret whose <env>_FILE is a setting of its own (the AWS keys) is read by its owner.
    const bool own_file_row = std::any_of(rows.begin(), rows.end(), [&](const auto& other) {
      return other.env == row.env + "_FILE";
    });
    const bool secret = row.visibility == Visibility::secret && !own_file_row;
    docs.push_back({row.env, shown(row, defaults), row.accepts,
                    secret ? row.help + " (or the file " + row.env + "_FILE names)" : row.help,
                    secret});
  }
  return docs;
}

// The rows as a Markdown table (Variable | Default | Accepted | Meaning), as in the README.
std::string markdown_table(const std::vector<SettingDoc>& docs);

// Parses the contents of a `.env` file: KEY=VALUE lines, `#` comments, optional `export `,
// optional single or double quotes around the value.
std::vector<std::pair<std::string, std::string>> parse_dotenv(std::string_view text);

}  // namespace sre::core
