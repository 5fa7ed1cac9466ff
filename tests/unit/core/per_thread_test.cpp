#include "core/per_thread.h"

#include <gtest/gtest.h>

#include <thread>

namespace sre::core {
namespace {

// Runs `body` on a fresh thread that the server would call I/O thread `index`.
template <typename Body>
void on_io_thread(unsigned index, Body body) {
  std::thread thread([index, &body] {
    set_io_thread_index(index);
    body();
  });
  thread.join();
}

TEST(PerThread, EachIoThreadGetsItsOwnSlot) {
  PerThread<int> counters(3, 0);
  for (unsigned index = 0; index < 3; ++index) {
    on_io_thread(index, [&counters, index] {
      ASSERT_NE(counters.local(), nullptr);
      *counters.local() += static_cast<int>(index) + 10;
    });
  }
  EXPECT_EQ(counters.at(0), 10);
  EXPECT_EQ(counters.at(1), 11);
  EXPECT_EQ(counters.at(2), 12);
}

TEST(PerThread, SlotsAreBuiltFromTheArguments) {
  PerThread<std::string> names(2, std::string("unset"));
  EXPECT_EQ(names.size(), 2U);
  EXPECT_EQ(names.at(1), "unset");
}

TEST(PerThread, OtherThreadsHaveNoSlot) {
  PerThread<int> counters(2, 0);
  EXPECT_EQ(counters.local(), nullptr);  // the test's own thread is no I/O thread
  on_io_thread(2, [&counters] { EXPECT_EQ(counters.local(), nullptr); });  // beyond size()
}

TEST(PerThread, TwoInstancesDoNotShareSlots) {
  PerThread<int> first(1, 0);
  PerThread<int> second(1, 0);
  on_io_thread(0, [&] {
    *first.local() = 1;
    *second.local() = 2;
  });
  EXPECT_EQ(first.at(0), 1);
  EXPECT_EQ(second.at(0), 2);
}

}  // namespace
}  // namespace sre::core
