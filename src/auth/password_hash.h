// Password hashing with argon2id (libargon2), in its PHC string encoding
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), which carries its own parameters and salt.
//
// Both calls are slow on purpose (about 20-50 ms of CPU and 19 MiB of memory each): never
// call them on an I/O thread; auth/login_service.h runs them on its own small pool.
#pragma once

#include <string>
#include <string_view>

namespace sre::auth {

// A fresh random salt each call.
std::string hash_password(std::string_view password);
// False when the password does not match, or `encoded` is not an argon2id hash.
bool verify_password(const std::string& encoded, std::string_view password);

}  // namespace sre::auth
