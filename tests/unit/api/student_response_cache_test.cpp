// Cached student reads on an Asio event loop, with the real student service over an
// in-memory store and an in-memory cache backend: concurrent misses of one student load it
// once (single flight), a read that loaded before a write committed does not put the old
// answer back (invalidation epochs), and a write drops the cached answer.
#include "api/student_response_cache.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <map>

#include "core/io_thread.h"
#include "students/fake_student_store.h"
#include "students/student_service.h"

namespace sre::api {
namespace {

namespace asio = boost::asio;
using testing::FakeStudentStore;

// A cache in memory that remembers every fill.
class FakeCache : public cache::Cache {
 public:
  asio::awaitable<cache::CacheLookup> get(const std::string& key) override {
    auto it = entries.find(key);
    if (it == entries.end()) {
      co_return cache::CacheLookup{cache::CacheLookup::Result::miss, {}};
    }
    co_return cache::CacheLookup{cache::CacheLookup::Result::hit, it->second};
  }
  asio::awaitable<bool> set(const std::string& key, const std::string& value,
                            std::chrono::seconds /*ttl*/) override {
    entries[key] = value;
    ++fills;
    co_return true;
  }
  asio::awaitable<bool> erase(const std::string& key) override {
    entries.erase(key);
    co_return true;
  }
  std::string_view backend() const override { return "fake"; }

  std::map<std::string, std::string> entries;
  int fills = 0;
};

struct StudentResponseCacheTest : ::testing::Test {
  StudentResponseCacheTest() {
    core::set_io_thread_index(0);  // single flight is per I/O thread
    store.students["STU-0000000A"] =
        domain::Student{1, "STU-0000000A", "Ada", "Lovelace", 7, "created", "created"};
  }

  // What StudentsApi does on GET: the body of the student's answer, through the cache.
  asio::awaitable<StudentResponseCache::Result> read(const std::string& id) {
    const StudentResponseCache::Render render =
        [this, &id]() -> asio::awaitable<std::optional<std::string>> {
      auto student = co_await service.find(id);
      if (!student) {
        co_return std::nullopt;
      }
      co_return domain::to_json_text(*student);
    };
    co_return co_await responses.get(id, render);
  }

  // First, so destroyed last: the store's held finds wait on timers of this context.
  asio::io_context io;
  const students::WriteContext kAnyone{};
  FakeStudentStore store;
  FakeCache backend;
  obs::Metrics metrics{"test"};
  StudentResponseCache responses{backend, std::chrono::seconds(60), metrics};
  // Without outbox records: updates then write without reading first, so a held find() is
  // only ever the cache's load.
  students::StudentService service{store, metrics, &responses, {.events_enabled = false}};
};

TEST_F(StudentResponseCacheTest, ConcurrentMissesOfOneStudentReadTheStoreOnce) {
  constexpr int kReaders = 8;
  store.hold_finds = true;
  int answered = 0;
  for (int i = 0; i < kReaders; ++i) {
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto result = co_await read("STU-0000000A");
          EXPECT_TRUE(result.value && result.value->find("Lovelace") != std::string::npos);
          EXPECT_FALSE(result.hit);
          ++answered;
        },
        asio::detached);
  }
  // Once every reader is waiting on the one load, let the store answer.
  asio::post(io, [&] { store.release_finds(); });
  io.run();
  EXPECT_EQ(answered, kReaders);
  EXPECT_EQ(store.finds, 1);
  EXPECT_EQ(backend.fills, 1);
}

TEST_F(StudentResponseCacheTest, AReadThatLoadedBeforeAWriteDoesNotPutTheOldAnswerBack) {
  store.hold_finds = true;
  std::optional<std::string> stale_read;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto result = co_await read("STU-0000000A");
        stale_read = result.value;
      },
      asio::detached);
  // The read has loaded grade 7 and waits; now a write commits grade 8, then the read ends.
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        domain::StudentFields patch;
        patch.grade = 8;
        auto updated = co_await service.update("STU-0000000A", patch, kAnyone);
        EXPECT_TRUE(updated);
        store.release_finds();
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(stale_read);
  EXPECT_NE(stale_read->find("\"grade\":7"), std::string::npos) << *stale_read;
  EXPECT_EQ(backend.fills, 0) << "the answer loaded before the write must not be cached";

  io.restart();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto fresh = co_await read("STU-0000000A");
        EXPECT_FALSE(fresh.hit);
        EXPECT_NE(fresh.value.value_or("").find("\"grade\":8"), std::string::npos);
        auto again = co_await read("STU-0000000A");
        EXPECT_TRUE(again.hit);
      },
      asio::detached);
  io.run();
}

TEST_F(StudentResponseCacheTest, AWriteDropsTheCachedAnswer) {
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await read("STU-0000000A");
        auto cached = co_await read("STU-0000000A");
        EXPECT_TRUE(cached.hit);
        bool removed = co_await service.remove("STU-0000000A", kAnyone);
        EXPECT_TRUE(removed);
        auto gone = co_await read("STU-0000000A");
        EXPECT_FALSE(gone.hit);
        EXPECT_FALSE(gone.value);
      },
      asio::detached);
  io.run();
  EXPECT_EQ(store.finds, 2);
}

}  // namespace
}  // namespace sre::api
