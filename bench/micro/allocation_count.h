// Heap allocations per operation, for every micro-benchmark: the binary replaces the global
// operator new to count (allocation_count.cpp). Unlike time, a count is exact on a busy machine,
// so bench/run checks it too: a new allocation per call fails that check at once, where the
// time it costs may hide in the noise.
//
//   const micro::AllocationCount allocations;  // just before the timed loop
//   for (auto _ : state) { ... }
//   allocations.report(state);                 // counter "allocs_per_op"
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

namespace micro {

// Allocations through operator new made by the calling thread so far.
std::uint64_t allocations_on_this_thread();

class AllocationCount {
 public:
  AllocationCount() : start_(allocations_on_this_thread()) {}

  // Sets the counter allocs_per_op: the allocations since construction, per iteration.
  void report(benchmark::State& state) const {
    state.counters["allocs_per_op"] =
        benchmark::Counter(static_cast<double>(allocations_on_this_thread() - start_),
                           benchmark::Counter::kAvgIterations);
  }

 private:
  std::uint64_t start_;
};

}  // namespace micro
