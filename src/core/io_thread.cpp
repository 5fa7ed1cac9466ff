#include "core/io_thread.h"

#include <vector>

namespace sre::core {
namespace {

thread_local int current_index = -1;

// An event loop's list of kept objects; asio shuts its services down when the loop's context
// is destroyed, while the other services (sockets, timers) still exist.
class KeptObjects : public boost::asio::execution_context::service {
 public:
  using key_type = KeptObjects;
  // Asio finds a service by this key. Its constructor does nothing, but is not noexcept.
  static inline boost::asio::execution_context::id id;  // NOLINT(cert-err58-cpp)

  explicit KeptObjects(boost::asio::execution_context& context)
      : boost::asio::execution_context::service(context) {}

  void keep(std::shared_ptr<void> object) { objects_.push_back(std::move(object)); }

 private:
  void shutdown() override { objects_.clear(); }

  std::vector<std::shared_ptr<void>> objects_;
};

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

void keep_until_shutdown(boost::asio::execution_context& context, std::shared_ptr<void> object) {
  boost::asio::use_service<KeptObjects>(context).keep(std::move(object));
}

}  // namespace sre::core
