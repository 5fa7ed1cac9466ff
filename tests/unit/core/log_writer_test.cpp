// The log writer (core/log_writer.h) writing into a pipe that the test reads: every line
// arrives whole and in its thread's order, a line wakes a sleeping writer, and lines that
// cannot be written are counted as dropped, exactly.
#include "core/log_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sre::log {
namespace {

using namespace std::chrono_literals;

class Pipe {
 public:
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read_end_ = fds[0];
    write_end_ = fds[1];
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_read_end();
    close_write_end();
  }
  int write_end() const { return write_end_; }
  void close_read_end() { close_fd(read_end_); }
  // After the writer has stopped: the reader then sees the end of the data.
  void close_write_end() { close_fd(write_end_); }
  // What arrives until the write end is closed, `bytes` have come, or nothing comes for `wait`.
  std::string read(std::chrono::milliseconds wait, std::size_t bytes = SIZE_MAX) {
    std::string text;
    pollfd ready{read_end_, POLLIN, 0};
    while (text.size() < bytes && ::poll(&ready, 1, static_cast<int>(wait.count())) > 0) {
      char buffer[65536];
      const ssize_t n = ::read(read_end_, buffer, sizeof buffer);
      if (n <= 0) {
        break;
      }
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }

  int read_end_ = -1;
  int write_end_ = -1;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(LogWriter, EveryLineOfEveryThreadArrivesWholeAndInItsThreadsOrder) {
  Pipe pipe;
  std::string received;
  std::thread reader([&pipe, &received] { received = pipe.read(5000ms); });
  LogWriter writer(pipe.write_end());
  writer.start();
  constexpr int kThreads = 4;
  constexpr int kLines = 3000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&writer, t] {
      for (int i = 0; i < kLines; ++i) {
        writer.submit("thread " + std::to_string(t) + " line " + std::to_string(i) + "\n");
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  writer.stop();
  pipe.close_write_end();
  reader.join();
  EXPECT_EQ(writer.dropped_lines(), 0U);
  std::map<int, int> next_line;
  for (const std::string& line : lines_of(received)) {
    int thread = -1;
    int number = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d", &thread, &number), 2) << line;
    EXPECT_EQ(number, next_line[thread]++) << line;
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(next_line[t], kLines) << "thread " << t;
  }
}

TEST(LogWriter, ALineWakesAWriterThatSleptForLackOfLines) {
  Pipe pipe;
  LogWriter writer(pipe.write_end());
  writer.start();
  std::this_thread::sleep_for(300ms);  // long past the idle passes: the writer sleeps
  writer.submit("after a quiet spell\n");
  // No flush, no stop: only the wake-up can bring the line out.
  EXPECT_EQ(pipe.read(5000ms, 20), "after a quiet spell\n");
  writer.stop();
}

TEST(LogWriter, FlushWritesOutWhatWasSubmittedBeforeIt) {
  Pipe pipe;
  LogWriter writer(pipe.write_end());
  writer.start();
  writer.submit("one\n");
  writer.submit("two\n");
  writer.flush(2000ms);
  EXPECT_EQ(pipe.read(0ms), "one\ntwo\n");
  writer.stop();
}

TEST(LogWriter, ALineOfAThreadThatHasExitedIsStillWritten) {
  Pipe pipe;
  LogWriter writer(pipe.write_end());
  writer.start();
  std::thread([&writer] { writer.submit("last words\n"); }).join();
  writer.stop();
  EXPECT_EQ(pipe.read(0ms), "last words\n");
}

TEST(LogWriter, LinesThatFindTheirThreadsQueueFullAreDroppedAndCounted) {
  Pipe pipe;  // nobody reads until the end: the pipe fills, the writer blocks, the ring fills
  LogWriter writer(pipe.write_end());
  writer.start();
  const std::string line = std::string(1000, 'x') + "\n";
  constexpr int kLines = 5000;  // 5 MB: far more than the pipe and one ring hold
  for (int i = 0; i < kLines; ++i) {
    writer.submit(line);
  }
  const std::uint64_t dropped = writer.dropped_lines();
  EXPECT_GT(dropped, 0U);
  std::string received;
  std::thread reader([&pipe, &received] { received = pipe.read(5000ms); });
  writer.stop();
  pipe.close_write_end();
  reader.join();
  EXPECT_EQ(received.size() % line.size(), 0U);  // whole lines only
  EXPECT_EQ(received.size() / line.size() + dropped, static_cast<std::size_t>(kLines));
  EXPECT_EQ(writer.dropped_lines(), dropped);
}

TEST(LogWriter, LinesThatTheDescriptorRefusesAreCountedAsDropped) {
  Pipe pipe;
  pipe.close_read_end();  // write(2) fails with EPIPE (SIGPIPE is ignored by start())
  LogWriter writer(pipe.write_end());
  writer.start();
  for (int i = 0; i < 10; ++i) {
    writer.submit("into the void\n");
  }
  writer.stop();
  EXPECT_EQ(writer.dropped_lines(), 10U);
}

}  // namespace
}  // namespace sre::log
