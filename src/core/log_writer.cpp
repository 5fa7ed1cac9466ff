#include "core/log_writer.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

namespace sre::log {
namespace {

// A thread's ring: at ~250 bytes a line, about 4,000 lines, or ~70 ms of one I/O thread's
// access log at full speed, for the writer to be late before lines are dropped. Memory is
// only touched as the ring is used.
constexpr std::size_t kRingBytes = std::size_t{1} << 20;
// How long the writer sleeps between passes while lines keep coming: the delay a line may
// wait, against one write(2) per interval.
constexpr auto kPollInterval = std::chrono::milliseconds(1);
// Passes with nothing to write before the writer sleeps until woken (~50 ms).
constexpr int kIdlePassesBeforeSleep = 50;
// A batch this large is written at once, even in the middle of a pass.
constexpr std::size_t kBatchBytes = std::size_t{256} * 1024;

std::atomic<std::uint64_t> g_next_writer_id{1};

}  // namespace

LogWriter::LogWriter(int fd) : fd_(fd), id_(g_next_writer_id.fetch_add(1)) {
  batch_.reserve(kBatchBytes + kRingBytes);
}

LogWriter::~LogWriter() {
  stop();
}

void LogWriter::start() {
  if (thread_.joinable()) {
    return;
  }
  // A reader of our output that goes away (`| head`) must not end the service: write(2) then
  // fails with EPIPE instead, and the lines are counted as dropped.
  std::signal(SIGPIPE, SIG_IGN);
  stopping_.store(false, std::memory_order_release);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "log-writer");
    run();
  });
  running_.store(true, std::memory_order_release);
}

void LogWriter::stop() {
  if (!thread_.joinable()) {
    return;
  }
  stopping_.store(true, std::memory_order_release);
  wake_writer();
  thread_.join();
  running_.store(false, std::memory_order_release);
}

LogWriter::ThreadQueue& LogWriter::queue_of_this_thread() {
  // The calling thread's queue, kept for the thread's life; the writer forgets it once the
  // thread has exited and everything in it is written.
  struct CachedQueue {
    CachedQueue() = default;
    CachedQueue(const CachedQueue&) = delete;
    CachedQueue& operator=(const CachedQueue&) = delete;
    ~CachedQueue() { release(); }
    void release() {
      if (queue != nullptr) {
        queue->thread_exited.store(true, std::memory_order_release);  // after its last push
      }
    }
    std::uint64_t writer_id = 0;
    std::shared_ptr<ThreadQueue> queue;
  };
  thread_local CachedQueue cached;
  if (cached.writer_id != id_) {  // the thread's first line for this writer
    cached.release();
    auto queue = std::make_shared<ThreadQueue>(kRingBytes);
    {
      std::lock_guard lock(registry_mutex_);
      registry_.push_back(queue);
    }
    cached.writer_id = id_;
    cached.queue = std::move(queue);
  }
  return *cached.queue;
}

void LogWriter::submit(std::string_view line) {
  ThreadQueue& queue = queue_of_this_thread();
  if (!queue.ring.push(line)) {
    queue.dropped.store(queue.dropped.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
    return;
  }
  // The writer may be deciding to sleep at this moment. With this fence and the writer's (see
  // run()), either we see that it sleeps and wake it, or it sees our line and stays awake.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (writer_asleep_.load(std::memory_order_relaxed)) {
    wake_writer();
  }
}

void LogWriter::wake_writer() {
  writer_asleep_.store(false, std::memory_order_relaxed);
  writer_asleep_.notify_one();
}

void LogWriter::flush(std::chrono::milliseconds limit) {
  if (!running()) {
    return;
  }
  // A pass that began after this call has taken every line submitted before it.
  const std::uint64_t done = passes_.load(std::memory_order_acquire) + 2;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (passes_.load(std::memory_order_acquire) < done &&
         std::chrono::steady_clock::now() < deadline) {
    wake_writer();
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::uint64_t LogWriter::dropped_lines() const {
  std::uint64_t dropped = write_failures_.load(std::memory_order_relaxed);
  std::lock_guard lock(registry_mutex_);
  for (const auto& queue : registry_) {
    dropped += queue->dropped.load(std::memory_order_relaxed);
  }
  return dropped + dropped_by_exited_threads_;
}

void LogWriter::run() {
  int idle_passes = 0;
  while (true) {
    const bool stopping = stopping_.load(std::memory_order_acquire);
    const std::size_t moved = drain_queues();
    write_batch();
    passes_.fetch_add(1, std::memory_order_release);
    if (stopping) {
      if (moved == 0) {
        return;  // every line submitted before stop() is written
      }
      continue;
    }
    idle_passes = moved > 0 ? 0 : idle_passes + 1;
    if (idle_passes < kIdlePassesBeforeSleep) {
      std::this_thread::sleep_for(kPollInterval);
      continue;
    }
    writer_asleep_.store(true, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with submit()'s fence
    if (every_queue_empty() && !stopping_.load(std::memory_order_acquire)) {
      writer_asleep_.wait(true, std::memory_order_relaxed);
    }
    writer_asleep_.store(false, std::memory_order_relaxed);
    idle_passes = 0;
  }
}

std::size_t LogWriter::drain_queues() {
  refresh_queues();
  std::size_t moved = 0;
  for (const auto& queue : queues_) {
    moved += queue->ring.drain_into(batch_);
    if (batch_.size() >= kBatchBytes) {
      write_batch();
    }
  }
  return moved;
}

bool LogWriter::every_queue_empty() {
  refresh_queues();  // a thread may have registered since the last pass
  return std::all_of(queues_.begin(), queues_.end(),
                     [](const auto& queue) { return queue->ring.empty(); });
}

void LogWriter::refresh_queues() {
  queues_.clear();
  std::lock_guard lock(registry_mutex_);
  std::erase_if(registry_, [this](const std::shared_ptr<ThreadQueue>& queue) {
    const bool finished =
        queue->thread_exited.load(std::memory_order_acquire) && queue->ring.empty();
    if (finished) {
      dropped_by_exited_threads_ += queue->dropped.load(std::memory_order_relaxed);
    }
    return finished;
  });
  queues_ = registry_;
}

void LogWriter::write_batch() {
  std::size_t written = 0;
  while (written < batch_.size()) {
    const ssize_t n = ::write(fd_, batch_.data() + written, batch_.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      // The descriptor refuses the bytes (a closed pipe, a full disk): count what is lost.
      const auto lost =
          std::count(batch_.begin() + static_cast<std::ptrdiff_t>(written), batch_.end(), '\n');
      write_failures_.fetch_add(static_cast<std::uint64_t>(lost), std::memory_order_relaxed);
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  batch_.clear();
}

}  // namespace sre::log
