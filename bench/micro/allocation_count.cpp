// The global operator new and delete of micro_benchmarks, counting each allocation on the
// thread that makes it. Array and nothrow forms reach these through the standard library's
// defaults; the aligned form (coroutine frames may use it) is replaced as well.
#include "allocation_count.h"

#include <cstdlib>
#include <new>

namespace {

thread_local std::uint64_t t_allocations = 0;

void* counted_malloc(std::size_t size) {
  ++t_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    return p;
  }
  throw std::bad_alloc();
}

void* counted_aligned_alloc(std::size_t size, std::align_val_t alignment) {
  ++t_allocations;
  const auto align = static_cast<std::size_t>(alignment);
  // aligned_alloc wants a size that is a multiple of the alignment.
  if (void* p = std::aligned_alloc(align, (size + align - 1) / align * align)) {
    return p;
  }
  throw std::bad_alloc();
}

}  // namespace

namespace micro {

std::uint64_t allocations_on_this_thread() {
  return t_allocations;
}

}  // namespace micro

void* operator new(std::size_t size) {
  return counted_malloc(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return counted_aligned_alloc(size, alignment);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t /*alignment*/) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t /*size*/, std::align_val_t /*alignment*/) noexcept {
  std::free(p);
}
