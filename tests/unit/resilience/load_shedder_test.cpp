#include "resilience/load_shedder.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/io_thread.h"

namespace sre::resilience {
namespace {

using namespace std::chrono_literals;

// Runs `body` on a fresh thread that the server would call I/O thread `index`.
template <typename Body>
void on_io_thread(unsigned index, Body body) {
  std::thread thread([index, &body] {
    core::set_io_thread_index(index);
    body();
  });
  thread.join();
}

constexpr auto kNow = std::chrono::steady_clock::time_point{} + 1h;

TEST(LoadShedder, BoundsInFlightPerThreadShare) {
  LoadShedder shedder({5, 0ms, 2});  // 5 per process over 2 threads: 3 per thread
  const auto now = std::chrono::steady_clock::now();
  EXPECT_EQ(shedder.per_thread_limit(), 3);
  on_io_thread(0, [&] {
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(shedder.try_admit(1ms, now), ShedDecision::admit);
    }
    EXPECT_EQ(shedder.try_admit(1ms, now), ShedDecision::shed_in_flight);
    shedder.finished();
    EXPECT_EQ(shedder.try_admit(1ms, now), ShedDecision::admit);
  });
  // Thread 1 has its own share, untouched by thread 0's requests.
  on_io_thread(1, [&] { EXPECT_EQ(shedder.try_admit(1ms, now), ShedDecision::admit); });
}

TEST(LoadShedder, ShedsForQueueDelayOnlyOnAStandingQueue) {
  LoadShedder shedder({0, 100ms, 1});
  auto now = std::chrono::steady_clock::now() + 1h;  // a fresh interval for this thread
  auto admit = [&](std::chrono::milliseconds delay) {
    auto decision = shedder.try_admit(delay, now);
    if (decision == ShedDecision::admit) {
      shedder.finished();
    }
    return decision;
  };
  on_io_thread(0, [&] {
    // One slow request among fast ones: a stall, not a queue.
    EXPECT_EQ(admit(150ms), ShedDecision::admit);
    EXPECT_EQ(admit(1ms), ShedDecision::admit);
    now += 100ms;
    EXPECT_EQ(admit(150ms), ShedDecision::admit);
    // A whole interval of slow requests: a standing queue; the next interval sheds slow ones.
    EXPECT_EQ(admit(160ms), ShedDecision::admit);
    now += 100ms;
    EXPECT_EQ(admit(170ms), ShedDecision::shed_queue_delay);
    EXPECT_EQ(admit(20ms), ShedDecision::admit);  // under the bound: served
    now += 100ms;
    EXPECT_EQ(admit(170ms), ShedDecision::admit);  // the queue drained (a 20 ms request)
    // After a quiet gap there is no standing queue to speak of.
    now += 10s;
    EXPECT_EQ(admit(500ms), ShedDecision::admit);
  });
}

TEST(LoadShedder, ZeroMeansNoBound) {
  LoadShedder shedder({0, 0ms, 1});
  EXPECT_FALSE(shedder.enabled());
  on_io_thread(0, [&] {
    for (int i = 0; i < 10000; ++i) {
      EXPECT_EQ(shedder.try_admit(10s, std::chrono::steady_clock::now()), ShedDecision::admit);
    }
  });
}

TEST(LoadShedder, ThreadsThatAreNotIoThreadsAreAdmittedUncounted) {
  LoadShedder shedder({1, 0ms, 1});
  EXPECT_EQ(shedder.try_admit(0ns, kNow), ShedDecision::admit);
  EXPECT_EQ(shedder.try_admit(0ns, kNow), ShedDecision::admit);
}

TEST(LoadShedder, TwoSheddersCountSeparately) {
  LoadShedder first({1, 0ms, 1});
  LoadShedder second({1, 0ms, 1});
  on_io_thread(0, [&] {
    EXPECT_EQ(first.try_admit(0ns, kNow), ShedDecision::admit);
    // `first` is full on this thread; that says nothing about `second`.
    EXPECT_EQ(second.try_admit(0ns, kNow), ShedDecision::admit);
    EXPECT_EQ(first.try_admit(0ns, kNow), ShedDecision::shed_in_flight);
  });
}

TEST(LoadShedder, TwoSheddersHaveSeparateQueueDelayWindows) {
  LoadShedder slow({0, 10ms, 1});
  LoadShedder fast({0, 10ms, 1});
  on_io_thread(0, [&] {
    // A whole interval of slow requests makes a standing queue for `slow` only.
    EXPECT_EQ(slow.try_admit(50ms, kNow), ShedDecision::admit);
    EXPECT_EQ(slow.try_admit(50ms, kNow + 50ms), ShedDecision::admit);
    EXPECT_EQ(slow.try_admit(50ms, kNow + LoadShedder::kInterval), ShedDecision::shed_queue_delay);
    EXPECT_EQ(fast.try_admit(50ms, kNow + LoadShedder::kInterval), ShedDecision::admit);
  });
}

}  // namespace
}  // namespace sre::resilience
