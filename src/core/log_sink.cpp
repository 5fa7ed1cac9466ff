#include "core/log_sink.h"

#include <unistd.h>

#include <cerrno>

namespace sre::log {
namespace {

// Enough for a few hundred lines; a batch this large is written even if more are queued.
constexpr std::size_t kBatchBytes = std::size_t{64} * 1024;

}  // namespace

BatchingStdoutSink::BatchingStdoutSink(std::function<bool()> queue_is_empty)
    : queue_is_empty_(std::move(queue_is_empty)) {
  batch_.reserve(kBatchBytes + 4096);
}

BatchingStdoutSink::~BatchingStdoutSink() {
  write_out();
}

void BatchingStdoutSink::sink_it_(const spdlog::details::log_msg& msg) {
  batch_.append(msg.payload.data(), msg.payload.size());
  batch_ += '\n';
  if (batch_.size() >= kBatchBytes || queue_is_empty_()) {
    write_out();
  }
}

void BatchingStdoutSink::flush_() {
  write_out();
}

void BatchingStdoutSink::write_out() {
  std::size_t written = 0;
  while (written < batch_.size()) {
    ssize_t n = ::write(STDOUT_FILENO, batch_.data() + written, batch_.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;  // stdout is gone (a closed pipe): nothing to do but drop the batch
    }
    written += static_cast<std::size_t>(n);
  }
  batch_.clear();
}

}  // namespace sre::log
