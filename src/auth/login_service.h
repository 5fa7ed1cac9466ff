// Checks a user name and password against the users file, off the I/O threads.
//
// argon2id costs tens of milliseconds of CPU per check, on purpose. Done on an I/O thread it
// would stall every other request on that thread; so checks run on a small pool of their own
// (LOGIN_THREADS), and at most LOGIN_QUEUE more wait for it. Beyond that a login is refused
// at once (`busy`): a login storm queues and sheds here and never reaches the I/O threads.
//
// An unknown user costs the same as a wrong password (a check against a dummy hash), so the
// answer's timing does not tell which names exist.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string>

#include "auth/role.h"
#include "auth/users.h"
#include "resilience/bulkhead.h"

namespace sre::auth {

class LoginService {
 public:
  LoginService(Users users, unsigned threads, unsigned queue);
  ~LoginService();
  LoginService(const LoginService&) = delete;
  LoginService& operator=(const LoginService&) = delete;

  enum class Outcome : std::uint8_t { accepted, refused, busy };
  struct Result {
    Outcome outcome = Outcome::refused;
    Role role = Role::reader;  // when accepted
  };

  // Resumes on the caller's executor once a hashing thread has checked the password.
  boost::asio::awaitable<Result> check(std::string name, std::string password);

  std::size_t users() const { return users_.size(); }

 private:
  Result check_now(const std::string& name, const std::string& password) const;
  boost::asio::awaitable<Result> check_on_pool(std::string name, std::string password);

  Users users_;
  std::string dummy_hash_;  // checked for unknown users
  resilience::Bulkhead admitted_;
  boost::asio::thread_pool pool_;
};

}  // namespace sre::auth
