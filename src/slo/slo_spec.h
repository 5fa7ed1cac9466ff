// The service level objectives as declared in monitoring/slo.yaml, parsed and checked.
//
// An objective names its SLI as PromQL selectors of the service's own counters: `total` (every
// event that counts) and either `errors` (the bad ones) or `good` (the good ones). The
// generator (rules_file.h) turns each into recording rules and burn-rate alerts; nothing else
// reads the YAML. The parsed spec owns all of its strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sre::slo {

// A Prometheus duration as written in the file ("5m", "30d"), with its length in seconds.
struct Window {
  std::string text;
  long seconds = 0;
};
// "30s", "5m", "1h", "3d", "1w"; nullopt for anything else (no sum like "1h30m": not needed).
std::optional<Window> parse_window(std::string_view text);

struct Objective {
  std::string name;         // slo label value, e.g. "api-availability"
  std::string title;        // for people: "API availability"
  std::string description;  // what a good event is
  double target = 0;        // fraction of good events, in (0, 1)
  Window window;            // the period the target holds over
  std::string alert;        // burn-rate alert name; its runbook is docs/runbooks/<alert>.md
  std::string total;        // PromQL selector of all events
  std::string errors;       // PromQL selector of bad events, or empty when `good` is given
  std::string good;         // PromQL selector of good events, or empty when `errors` is given

  double error_budget() const { return 1.0 - target; }
};

struct SloSpec {
  std::vector<Objective> objectives;
};

struct SpecResult {
  std::optional<SloSpec> spec;
  std::string error;  // when spec is empty: what is wrong and where
};

// Parses the text of slo.yaml. Every field is required except one of errors/good; names and
// alert names must be unique.
SpecResult parse_slo_spec(const std::string& yaml_text);

}  // namespace sre::slo
