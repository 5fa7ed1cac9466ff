// Writes log lines to a file descriptor (stdout) from a background thread, so that a thread
// that logs never waits for the terminal, the pipe or the disk, and never takes a lock.
//
// Each thread that logs gets its own LineRing the first time it does (registering it is the
// only step that takes a mutex). submit() copies the line into that ring: no lock, no system
// call while the writer is awake. The writer thread empties every ring into one batch and
// writes the batch with one write(2), then sleeps for a poll interval; under load that is one
// system call per interval instead of one per line. After a while with nothing to write it
// sleeps until the next line wakes it, so an idle service costs no wake-ups, and a quiet one
// still shows each line at once.
//
// When a thread's ring is full (the writer has fallen that far behind) the new line is dropped
// and counted, rather than making the thread wait: logs must never take the service down.
// Lines of one thread keep their order; lines of different threads written within one poll
// interval may leave in a different order than they were written (each carries its time).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/log_ring.h"

namespace sre::log {

class LogWriter {
 public:
  explicit LogWriter(int fd);
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;
  ~LogWriter();  // stops, writing out what is queued

  void start();
  // Writes out every line submitted before the call and ends the background thread.
  void stop();
  bool running() const { return running_.load(std::memory_order_acquire); }

  // Any thread, while running: queues `line`, which ends with its newline.
  void submit(std::string_view line);
  // Waits, at most `limit`, until every line submitted before the call has been written.
  void flush(std::chrono::milliseconds limit);
  // Lines lost so far: rings full, or the descriptor refusing the bytes.
  std::uint64_t dropped_lines() const;

 private:
  // A thread's ring and what the writer needs to know about it.
  struct ThreadQueue {
    explicit ThreadQueue(std::size_t capacity) : ring(capacity) {}
    LineRing ring;
    std::atomic<std::uint64_t> dropped{0};   // written by the owning thread only
    std::atomic<bool> thread_exited{false};  // set after the thread's last push
  };

  ThreadQueue& queue_of_this_thread();
  void wake_writer();
  void run();
  // Moves every ring's lines into batch_ (writing out when it grows large); bytes moved.
  std::size_t drain_queues();
  bool every_queue_empty();
  // The writer's copy of the registered queues, refreshed each pass; forgets the queues of
  // threads that have exited once they are empty.
  void refresh_queues();
  void write_batch();

  const int fd_;
  const std::uint64_t id_;  // tells a thread's cached queue of this writer from another's
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> writer_asleep_{false};
  std::atomic<std::uint64_t> passes_{0};          // completed drain-and-write passes, for flush()
  std::atomic<std::uint64_t> write_failures_{0};  // lines the descriptor refused

  mutable std::mutex registry_mutex_;  // guards registry_ and dropped_by_exited_threads_
  std::vector<std::shared_ptr<ThreadQueue>> registry_;
  std::uint64_t dropped_by_exited_threads_ = 0;

  // Touched by the writer thread only.
  std::vector<std::shared_ptr<ThreadQueue>> queues_;
  std::string batch_;
  std::thread thread_;
};

}  // namespace sre::log
