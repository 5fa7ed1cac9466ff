// The single-producer, single-consumer ring of log lines (core/log_ring.h): whole lines in
// order, across the end of the buffer, refused whole when they do not fit.
#include "core/log_ring.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace sre::log {
namespace {

TEST(LineRing, GivesBackWhatWasPushedInOrder) {
  LineRing ring(64);
  EXPECT_TRUE(ring.empty());
  ASSERT_TRUE(ring.push("one\n"));
  ASSERT_TRUE(ring.push("two\n"));
  EXPECT_FALSE(ring.empty());
  std::string out;
  EXPECT_EQ(ring.drain_into(out), 8U);
  EXPECT_EQ(out, "one\ntwo\n");
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.drain_into(out), 0U);
}

TEST(LineRing, CapacityIsAPowerOfTwo) {
  EXPECT_EQ(LineRing(100).capacity(), 128U);
  EXPECT_EQ(LineRing(128).capacity(), 128U);
}

TEST(LineRing, LinesThatCrossTheEndOfTheBufferComeOutWhole) {
  LineRing ring(16);
  std::string out;
  // 7-byte lines: every few pushes one straddles the end of the 16-byte buffer.
  for (int i = 0; i < 50; ++i) {
    const std::string line = "line" + std::to_string(100 + i).substr(1) + "\n";
    ASSERT_TRUE(ring.push(line)) << i;
    out.clear();
    ASSERT_EQ(ring.drain_into(out), line.size());
    EXPECT_EQ(out, line);
  }
}

TEST(LineRing, ALineThatDoesNotFitIsRefusedWholeUntilTheConsumerCatchesUp) {
  LineRing ring(16);
  ASSERT_TRUE(ring.push("0123456789\n"));  // 11 of 16 bytes
  EXPECT_FALSE(ring.push("abcdef\n"));     // 7 more do not fit
  std::string out;
  ring.drain_into(out);
  EXPECT_EQ(out, "0123456789\n");  // nothing of the refused line got in
  EXPECT_TRUE(ring.push("abcdef\n"));
  EXPECT_FALSE(LineRing(16).push(std::string(17, 'x')));  // never fits
  EXPECT_TRUE(LineRing(16).push(std::string(16, 'x')));   // exactly fills it
}

TEST(LineRing, AProducerAndAConsumerThreadLoseNothing) {
  LineRing ring(256);
  constexpr int kLines = 100000;
  std::thread producer([&ring] {
    for (int i = 0; i < kLines; ++i) {
      const std::string line = std::to_string(i) + "\n";
      while (!ring.push(line)) {
        std::this_thread::yield();
      }
    }
  });
  std::string received;
  int expected = 0;
  std::string chunk;
  while (expected < kLines) {
    chunk.clear();
    ring.drain_into(chunk);
    received += chunk;
    std::size_t newline;
    while ((newline = received.find('\n')) != std::string::npos) {
      ASSERT_EQ(received.substr(0, newline), std::to_string(expected));
      received.erase(0, newline + 1);
      ++expected;
    }
  }
  producer.join();
  EXPECT_TRUE(received.empty());
}

}  // namespace
}  // namespace sre::log
