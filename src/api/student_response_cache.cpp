#include "api/student_response_cache.h"

namespace sre::api {

namespace {

std::string key_of(std::string_view student_id) {
  return "student:" + std::string(student_id);
}

}  // namespace

StudentResponseCache::StudentResponseCache(const cache::CacheOptions& options,
                                           redis::RedisClient* redis, obs::Metrics& metrics) {
  cache::Cache* backend = nullptr;
  if (redis != nullptr) {
    redis_ = std::make_unique<cache::RedisCache>(*redis);
    backend = redis_.get();
  } else {
    local_ = std::make_unique<cache::LocalCache>(options.max_entries);
    backend = local_.get();
  }
  aside_ = std::make_unique<cache::CacheAside>(*backend, "students", options.ttl, metrics);
}

StudentResponseCache::StudentResponseCache(cache::Cache& backend, std::chrono::seconds ttl,
                                           obs::Metrics& metrics)
    : aside_(std::make_unique<cache::CacheAside>(backend, "students", ttl, metrics)) {}

void StudentResponseCache::start_on_this_thread(const boost::asio::any_io_executor& executor) {
  if (local_) {
    local_->start_on_this_thread(executor);
  }
}

boost::asio::awaitable<StudentResponseCache::Result> StudentResponseCache::get(
    const std::string& student_id, const Render& render) {
  const std::string key = key_of(student_id);
  co_return co_await aside_->get(key, render);
}

boost::asio::awaitable<bool> StudentResponseCache::student_changed(const std::string& student_id) {
  const std::string key = key_of(student_id);
  co_return co_await aside_->invalidate(key);
}

}  // namespace sre::api
