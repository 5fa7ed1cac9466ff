#include "core/io_thread.h"

namespace sre::core {
namespace {
thread_local int current_index = -1;
}  // namespace

void set_io_thread_index(unsigned index) {
  current_index = static_cast<int>(index);
}

std::optional<unsigned> io_thread_index() {
  if (current_index < 0) {
    return std::nullopt;
  }
  return static_cast<unsigned>(current_index);
}

}  // namespace sre::core
