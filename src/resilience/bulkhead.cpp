#include "resilience/bulkhead.h"

namespace sre::resilience {

Bulkhead::Slot& Bulkhead::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

void Bulkhead::Slot::release() {
  if (owner_ != nullptr) {
    owner_->in_use_.fetch_sub(1, std::memory_order_acq_rel);
    owner_ = nullptr;
  }
}

Bulkhead::Slot Bulkhead::try_enter() {
  if (in_use_.fetch_add(1, std::memory_order_acq_rel) >= limit_) {
    in_use_.fetch_sub(1, std::memory_order_acq_rel);
    return Slot{};
  }
  return Slot{this};
}

}  // namespace sre::resilience
