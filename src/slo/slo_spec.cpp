#include "slo/slo_spec.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <set>
#include <stdexcept>

namespace sre::slo {

std::optional<Window> parse_window(std::string_view text) {
  if (text.size() < 2) {
    return std::nullopt;
  }
  long count = 0;
  const auto* end = text.data() + text.size() - 1;
  auto [rest, error] = std::from_chars(text.data(), end, count);
  if (error != std::errc{} || rest != end || count <= 0) {
    return std::nullopt;
  }
  long unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = 7L * 86400;
      break;
    default:
      return std::nullopt;
  }
  return Window{std::string(text), count * unit};
}

namespace {

// Thrown inside the parser with the objective and field at fault; caught in parse_slo_spec.
struct SpecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string required_string(const YAML::Node& node, const std::string& key,
                            const std::string& where) {
  const auto value = node[key];
  if (!value || !value.IsScalar() || value.Scalar().empty()) {
    throw SpecError(where + ": `" + key + "` is required (a non-empty string)");
  }
  return value.Scalar();
}

std::string optional_string(const YAML::Node& node, const std::string& key,
                            const std::string& where) {
  const auto value = node[key];
  if (!value) {
    return {};
  }
  if (!value.IsScalar() || value.Scalar().empty()) {
    throw SpecError(where + ": `" + key + "` must be a non-empty string");
  }
  return value.Scalar();
}

Objective parse_objective(const YAML::Node& node, std::size_t index) {
  std::string where = "objectives[" + std::to_string(index) + "]";
  if (!node.IsMap()) {
    throw SpecError(where + ": must be a mapping");
  }
  Objective objective;
  objective.name = required_string(node, "name", where);
  where += " (" + objective.name + ")";
  objective.title = required_string(node, "title", where);
  objective.description = required_string(node, "description", where);
  objective.alert = required_string(node, "alert", where);

  const auto target_text = required_string(node, "target", where);
  auto [end, error] = std::from_chars(target_text.data(), target_text.data() + target_text.size(),
                                      objective.target);
  if (error != std::errc{} || end != target_text.data() + target_text.size() ||
      !(objective.target > 0 && objective.target < 1)) {
    throw SpecError(where + ": `target` must be a fraction between 0 and 1 exclusive, not " +
                    target_text);
  }
  const auto window_text = required_string(node, "window", where);
  auto window = parse_window(window_text);
  if (!window) {
    throw SpecError(where + ": `window` must be a duration like 30d or 4w, not " + window_text);
  }
  objective.window = *window;

  const auto sli = node["sli"];
  if (!sli || !sli.IsMap()) {
    throw SpecError(where + ": `sli` is required (a mapping with total and errors or good)");
  }
  objective.total = required_string(sli, "total", where + ".sli");
  objective.errors = optional_string(sli, "errors", where + ".sli");
  objective.good = optional_string(sli, "good", where + ".sli");
  if (objective.errors.empty() == objective.good.empty()) {
    throw SpecError(where + ".sli: give exactly one of `errors` and `good`");
  }
  return objective;
}

}  // namespace

SpecResult parse_slo_spec(const std::string& yaml_text) {
  try {
    const auto root = YAML::Load(yaml_text);
    const auto list = root["objectives"];
    if (!list || !list.IsSequence() || list.size() == 0) {
      return {std::nullopt, "`objectives` is required (a non-empty list)"};
    }
    SloSpec spec;
    std::set<std::string> names;
    std::set<std::string> alerts;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto objective = parse_objective(list[i], i);
      if (!names.insert(objective.name).second) {
        return {std::nullopt, "objective name " + objective.name + " is used twice"};
      }
      if (!alerts.insert(objective.alert).second) {
        return {std::nullopt, "alert name " + objective.alert + " is used twice"};
      }
      spec.objectives.push_back(std::move(objective));
    }
    return {std::move(spec), {}};
  } catch (const SpecError& error) {
    return {std::nullopt, error.what()};
  } catch (const YAML::Exception& error) {
    return {std::nullopt, std::string("not valid YAML: ") + error.what()};
  }
}

}  // namespace sre::slo
