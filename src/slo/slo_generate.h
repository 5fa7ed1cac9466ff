// `sre-playground slo generate`: reads the objectives (monitoring/slo.yaml) and writes the
// files derived from them. Run from the repository root (`make slo` does); the paths are
// flags for tests that write elsewhere.
#pragma once

#include <string>

namespace sre::slo {

struct GeneratePaths {
  std::string spec = "monitoring/slo.yaml";
  std::string rules = "monitoring/prometheus/rules/slo.rules.yml";
};

// Exit codes: 0 written, 1 the spec is unreadable or invalid, or an output cannot be written
// (one line on stderr says which).
int generate(const GeneratePaths& paths);

}  // namespace sre::slo
