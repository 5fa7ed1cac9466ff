#include "auth/login_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/password_hash.h"

namespace sre::auth {

LoginService::LoginService(Users users, unsigned threads, unsigned queue)
    : users_(std::move(users)),
      dummy_hash_(hash_password("a password nobody has: it only spends the time of a check")),
      admitted_(static_cast<int>(threads + queue)),
      pool_(threads) {}

LoginService::~LoginService() {
  pool_.join();
}

LoginService::Result LoginService::check_now(const std::string& name,
                                             const std::string& password) const {
  const User* user = users_.find(name);
  if (user == nullptr) {
    verify_password(dummy_hash_, password);
    return {Outcome::refused};
  }
  if (!verify_password(user->password_hash, password)) {
    return {Outcome::refused};
  }
  return {Outcome::accepted, user->role};
}

boost::asio::awaitable<LoginService::Result> LoginService::check_on_pool(std::string name,
                                                                         std::string password) {
  co_return check_now(name, password);
}

boost::asio::awaitable<LoginService::Result> LoginService::check(std::string name,
                                                                 std::string password) {
  auto slot = admitted_.try_enter();
  if (!slot) {
    co_return Result{Outcome::busy};
  }
  // The coroutine runs on the pool; its result comes back on our own executor. Its arguments
  // are moved into its frame (a capturing lambda would be destroyed before the frame is).
  co_return co_await boost::asio::co_spawn(
      pool_, check_on_pool(std::move(name), std::move(password)), boost::asio::use_awaitable);
}

}  // namespace sre::auth
