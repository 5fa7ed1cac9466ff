// Before `serve` says it is ready, every I/O thread opens its own connections to the store.
//
// On PostgreSQL each I/O thread has a pool of its own, created by the thread's first query
// (store/postgres/pg_student_store.h). Opening a connection is a connect, an authentication
// and the preparation of every statement on a fresh backend, whose catalog caches are cold:
// 100 to 400 ms on a busy 2-core machine (PostgreSQL's log: 10 to 56 ms per statement parsed).
// Without a warm-up, the requests that reached a thread before its pool was open waited for
// it: after a restart, the first requests of each thread. The demo's load step, right after
// `scripts/stack restart api`, saw the requests of one replica held 130 to 330 ms at once
// while those it answered without the database (429s) were not.
//
// So each thread runs one ping of the store (which creates its pool and waits for a connection)
// before readiness turns true; load balancers and rollouts then send traffic to warm threads
// only. A ping that fails is logged (and the store's metrics count what failed under it) and
// does not hold readiness back: /health/ready checks the database on every probe anyway.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <vector>

#include "store/student_store.h"

namespace sre::api {

// Called once, on the thread of the last ping to end, with how long the warm-up took.
using WarmUpDone = std::function<void(std::chrono::milliseconds)>;

// Runs one ping of `store` on each of `io_threads` (their event loops) and calls `on_done`
// when every one has ended, whatever its outcome. `store` must outlive the event loops.
void warm_up_store(const std::vector<boost::asio::any_io_executor>& io_threads,
                   store::StudentStore& store, WarmUpDone on_done);

}  // namespace sre::api
