#include "slo/series_selector.h"

#include <algorithm>

namespace sre::slo {

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

// A cursor over the selector's text; each read skips the whitespace before it.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool at_end() {
    skip_space();
    return position_ == text_.size();
  }
  bool take(char c) {
    skip_space();
    if (position_ < text_.size() && text_[position_] == c) {
      ++position_;
      return true;
    }
    return false;
  }
  std::string name() {
    skip_space();
    std::size_t start = position_;
    if (position_ < text_.size() && is_name_start(text_[position_])) {
      while (position_ < text_.size() && is_name_char(text_[position_])) {
        ++position_;
      }
    }
    return std::string(text_.substr(start, position_ - start));
  }
  // A double-quoted string with backslash escapes; nullopt when unterminated.
  std::optional<std::string> quoted() {
    if (!take('"')) {
      return std::nullopt;
    }
    std::string value;
    while (position_ < text_.size()) {
      char c = text_[position_++];
      if (c == '"') {
        return value;
      }
      if (c == '\\' && position_ < text_.size()) {
        c = text_[position_++];
      }
      value.push_back(c);
    }
    return std::nullopt;
  }
  std::optional<LabelMatcher::Op> op() {
    if (take('=')) {
      return take('~') ? LabelMatcher::Op::regex : LabelMatcher::Op::equal;
    }
    if (take('!')) {
      if (take('=')) {
        return LabelMatcher::Op::not_equal;
      }
      if (take('~')) {
        return LabelMatcher::Op::not_regex;
      }
    }
    return std::nullopt;
  }
  std::size_t position() const { return position_; }

 private:
  void skip_space() {
    while (position_ < text_.size() &&
           (text_[position_] == ' ' || text_[position_] == '\t' || text_[position_] == '\n')) {
      ++position_;
    }
  }
  std::string_view text_;
  std::size_t position_ = 0;
};

std::optional<LabelMatcher> parse_matcher(Reader& reader, std::string& error) {
  LabelMatcher matcher;
  matcher.label = reader.name();
  auto op = reader.op();
  auto value = op ? reader.quoted() : std::nullopt;
  if (matcher.label.empty() || !value) {
    error = "expected label=\"value\" (or !=, =~, !~) at character " +
            std::to_string(reader.position());
    return std::nullopt;
  }
  matcher.op = *op;
  matcher.value = std::move(*value);
  if (matcher.op == LabelMatcher::Op::regex || matcher.op == LabelMatcher::Op::not_regex) {
    try {
      matcher.pattern = std::regex(matcher.value, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error&) {
      error = "label " + matcher.label + ": not a regular expression: " + matcher.value;
      return std::nullopt;
    }
  }
  return matcher;
}

}  // namespace

bool LabelMatcher::matches(std::string_view actual) const {
  switch (op) {
    case Op::equal:
      return actual == value;
    case Op::not_equal:
      return actual != value;
    case Op::regex:
      return std::regex_match(actual.begin(), actual.end(), pattern);
    case Op::not_regex:
      return !std::regex_match(actual.begin(), actual.end(), pattern);
  }
  return false;
}

std::optional<SeriesSelector> SeriesSelector::parse(std::string_view text, std::string& error) {
  Reader reader(text);
  SeriesSelector selector;
  selector.metric_ = reader.name();
  if (selector.metric_.empty()) {
    error = "a selector starts with a metric name";
    return std::nullopt;
  }
  bool closed = !reader.take('{') || reader.take('}');
  while (!closed) {
    auto matcher = parse_matcher(reader, error);
    if (!matcher) {
      return std::nullopt;
    }
    selector.matchers_.push_back(std::move(*matcher));
    if (reader.take(',')) {
      closed = reader.take('}');  // a trailing comma is allowed, as in PromQL
    } else if (reader.take('}')) {
      closed = true;
    } else {
      error = "expected , or } at character " + std::to_string(reader.position());
      return std::nullopt;
    }
  }
  if (!reader.at_end()) {
    error = "unexpected text at character " + std::to_string(reader.position());
    return std::nullopt;
  }
  return selector;
}

bool SeriesSelector::matches(std::string_view metric, const SeriesLabels& labels) const {
  if (metric != metric_) {
    return false;
  }
  return std::all_of(matchers_.begin(), matchers_.end(), [&labels](const LabelMatcher& matcher) {
    auto label = std::find_if(labels.begin(), labels.end(),
                              [&matcher](const auto& pair) { return pair.first == matcher.label; });
    return matcher.matches(label == labels.end() ? std::string_view{} : label->second);
  });
}

}  // namespace sre::slo
