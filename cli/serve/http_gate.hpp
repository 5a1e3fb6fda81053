#pragma once
// The trainer server's guard at the door. Connections: cpp-httplib 0.11 serves each connection on one thread of a
// fixed pool (8 on 2 cores) and bounds each recv, not the request, so a client that sends a byte every 2 seconds
// holds its thread for ever, and eight of them stop the server. GatedServer gives each connection a thread of its
// own, a request 2 seconds from its first byte to arrive whole, and a client only a few connections still waiting
// for a whole request: a new connection pushes out the oldest of those, so a request sent whole is always heard,
// whatever slow connections are open. Requests: HostCheck names the Host a request must give, against DNS
// rebinding.
#include <httplib.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace frontdoor {

class ConnectionGate;

/// cpp-httplib's server with the connection handling above in place of its own.
class GatedServer : public httplib::Server {
 public:
  GatedServer();
  ~GatedServer() override;
  /// Binds to `host`:`port` (0: any free port) as cpp-httplib does, with a longer queue of connections not yet
  /// accepted than its 5: a burst (fifty slow connections, say) would fill it, and a connection turned away there
  /// tries again only after a second. Returns the port, or -1.
  int bind(const std::string& host, int port);
  /// Ends every connection's wait; call before stop().
  void stop_connections();
  /// The listening socket's own address (numeric, IPv6 without brackets), once bound.
  std::string bound_address() const;

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::unique_ptr<ConnectionGate> gate_;
};

/// `text` in lower case (ASCII).
std::string lowercase(std::string text);

/// The media type of a Content-Type value, lowercased, without its parameters: "Application/JSON; charset=utf-8"
/// is "application/json".
std::string media_type(const std::string& content_type);

/// The Host a request must name, against DNS rebinding (a web site whose name comes to resolve to this machine):
/// the address served and its port; the name given with --host, which the trainer chose; on a loopback address
/// also localhost, 127.0.0.1 and [::1]; on every address (0.0.0.0, ::) those and any address of this machine. A
/// browser leaves out port 80.
class HostCheck {
 public:
  HostCheck(const std::string& bound, const std::string& given, int port);
  bool loopback() const { return loopback_; }
  bool wildcard() const { return wildcard_; }
  /// Whether a request naming `host` (its Host header) is addressed to this server.
  bool accepts(const std::string& host) const;
  /// What a refusal names: "127.0.0.1:8080 (or localhost:8080, ...)", or on every address, any of this machine's.
  std::string expected() const;

 private:
  void add(const std::string& name);
  std::string port_;
  bool loopback_ = false, wildcard_ = false;
  std::set<std::string> names_;
  std::vector<std::string> names_in_order_;
};

}  // namespace frontdoor
