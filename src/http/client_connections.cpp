#include "http/client_connections.h"

#include <prometheus/counter.h>

#include "core/log.h"

namespace sre::http {

bool ClientConnections::try_open(const boost::asio::ip::address& client) {
  if (cap_ == 0) {
    return true;
  }
  bool log_refusal = false;
  {
    const std::lock_guard lock(mutex_);
    Client& entry = clients_[client];
    if (entry.open < cap_) {
      ++entry.open;
      return true;
    }
    log_refusal = !entry.refusing;
    entry.refusing = true;
  }
  if (refused_ != nullptr) {
    refused_->Increment();
  }
  if (log_refusal) {
    log::warn("client at its connection cap: refusing its new connections",
              {{"client", client.to_string()}, {"cap", cap_}});
  }
  return false;
}

void ClientConnections::close(const boost::asio::ip::address& client) {
  if (cap_ == 0) {
    return;
  }
  const std::lock_guard lock(mutex_);
  auto entry = clients_.find(client);
  if (entry == clients_.end()) {
    return;
  }
  if (--entry->second.open == 0) {
    clients_.erase(entry);  // no memory for clients that left
  } else {
    entry->second.refusing = false;
  }
}

}  // namespace sre::http
