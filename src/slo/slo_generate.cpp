#include "slo/slo_generate.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "slo/rules_file.h"
#include "slo/slo_spec.h"

namespace sre::slo {

namespace {

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "sre-playground slo generate: cannot write %s\n", path.c_str());
    return false;
  }
  std::printf("wrote %s\n", path.c_str());
  return true;
}

}  // namespace

int generate(const GenerateOptions& options) {
  std::ifstream in(options.spec, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "sre-playground slo generate: cannot read %s\n", options.spec.c_str());
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse_slo_spec(text.str());
  if (!parsed.spec) {
    std::fprintf(stderr, "sre-playground slo generate: %s: %s\n", options.spec.c_str(),
                 parsed.error.c_str());
    return 1;
  }
  return write_file(options.rules, render_rules(*parsed.spec, options.time_scale)) ? 0 : 1;
}

}  // namespace sre::slo
