// `sre-playground slo generate`: reads the objectives (monitoring/slo.yaml) and writes the
// files derived from them. Run from the repository root (`make slo` does); the paths are
// flags for tests that write elsewhere.
#pragma once

#include <string>

namespace sre::slo {

struct GenerateOptions {
  std::string spec = "monitoring/slo.yaml";
  std::string rules = "monitoring/prometheus/rules/slo.rules.yml";
  double time_scale = 1.0;  // in (0, 1]: below 1, windows compressed (rules_file.h)
};

// Exit codes: 0 written, 1 the spec is unreadable or invalid, or an output cannot be written
// (one line on stderr says which).
int generate(const GenerateOptions& options);

}  // namespace sre::slo
