#include "http/client_connections.h"

#include <prometheus/counter.h>

#include <boost/asio/ip/network_v6.hpp>

#include "core/log.h"

namespace sre::http {

namespace {

constexpr unsigned short kIpv6ClientPrefix = 64;

std::string describe(const boost::asio::ip::address& client) {
  return client.is_v6() ? client.to_string() + "/64" : client.to_string();
}

}  // namespace

boost::asio::ip::address connection_client(const boost::asio::ip::address& peer) {
  if (peer.is_v4()) {
    return peer;
  }
  const auto v6 = peer.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6);
  }
  return boost::asio::ip::network_v6(v6, kIpv6ClientPrefix).canonical().address();
}

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
              {{"client", describe(client)}, {"cap", cap_}});
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
