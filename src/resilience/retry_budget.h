// A retry budget: retries may be at most `ratio` (10%) of calls, so a failing dependency sees
// at most 1.1x its normal traffic from us instead of 3x (three attempts each) just when it is
// least able to take it. Retries without a budget are how one slow service takes a whole
// system down ("retry storm").
//
// The token arithmetic follows Finagle's RetryBudget and the spirit of gRPC's retry
// throttling (proposal A6): every first attempt deposits `ratio` of a token, every retry
// withdraws a whole token and is refused when there is none. The balance is capped so a long
// quiet period cannot save up a burst of retries. It starts empty: every retry is paid for by
// earlier calls, so at any moment, since the start, retries <= ratio * calls.
//
// One atomic integer in thousandths of a token, shared by all I/O threads (one per process).
#pragma once

#include <atomic>
#include <cstdint>

namespace sre::resilience {

class RetryBudget {
 public:
  RetryBudget(double ratio, int max_tokens);

  // A call's first attempt: earns ratio of a token.
  void record_call();
  // Asks for one retry: true (and a token is spent) when the budget allows it.
  bool try_spend_retry();

  double tokens() const;

 private:
  std::int64_t deposit_milli_;
  std::int64_t cap_milli_;
  std::atomic<std::int64_t> balance_milli_{0};
};

}  // namespace sre::resilience
