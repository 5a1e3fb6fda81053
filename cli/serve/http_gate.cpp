#include "cli/serve/http_gate.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

using nlohmann::json;

namespace frontdoor {

namespace {

// JSON as text; bytes that are not UTF-8 are replaced rather than thrown over.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

constexpr std::chrono::seconds request_time{2};  // first byte to last, request line, headers and body
constexpr std::chrono::seconds idle_time{5};     // a new or kept-alive connection's wait for its next request
constexpr std::size_t max_head_bytes = 16 * 1024;
constexpr std::size_t max_connections = 128;
constexpr std::size_t max_waiting = 32;            // connections without a whole request yet, all clients
constexpr std::size_t max_waiting_per_client = 8;  // the same, from one address (a browser keeps up to 6)

// "ADDRESS" (numeric, IPv6 without brackets) of a socket's peer or own end; "" when it has none.
std::string socket_address(int sock, bool peer, int* port = nullptr) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  const int got = peer ? getpeername(sock, reinterpret_cast<sockaddr*>(&address), &length)
                       : getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length);
  char host[NI_MAXHOST], service[NI_MAXSERV];
  if (got != 0 || getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, service, sizeof service,
                              NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "";
  }
  if (port != nullptr) *port = std::atoi(service);
  return host;
}

}  // namespace

// Which connections are open, and which of them are still waiting for a whole request. A connection pushed out is
// shut down (its thread, blocked in poll, sees the end of the stream and closes it).
class ConnectionGate {
 public:
  ConnectionGate() {
    if (pipe2(wake_, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  ~ConnectionGate() {
    close(wake_[0]);
    close(wake_[1]);
  }
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  /// A new connection from `client`, waiting for its request; false when the server has too many connections.
  bool admit(int sock, const std::string& client) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    if (open_ >= max_connections && !push_out_oldest("")) return false;
    connections_[sock] = {client, true, false, ++sequence_};
    ++open_;
    limit_waiting(client);
    return true;
  }
  /// The connection waits for another request (kept alive).
  void waiting(int sock) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& c = connections_.at(sock);
    if (c.pushed_out) return;
    c.waiting = true;
    c.since = ++sequence_;
    limit_waiting(c.client);
  }
  /// Its request has arrived whole; false when it was pushed out meanwhile.
  bool serving(int sock) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& c = connections_.at(sock);
    c.waiting = false;
    return !c.pushed_out && !stopping_;
  }
  /// Closed by its thread (after this, `sock` may be another connection's).
  void leave(int sock) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto c = connections_.find(sock); c != connections_.end()) {
      if (!c->second.pushed_out) --open_;
      connections_.erase(c);
    }
  }
  /// Wakes every connection waiting for a request or to write, for good.
  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    const char byte = 0;
    [[maybe_unused]] const ssize_t written = write(wake_[1], &byte, 1);  // never read: readable from now on
  }
  bool stopping() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  }
  /// Readable once the server is stopping.
  int wake_fd() const { return wake_[0]; }

 private:
  struct Connection {
    std::string client;
    bool waiting = true, pushed_out = false;
    std::uint64_t since = 0;  ///< when it began waiting
  };
  // Pushes out the oldest waiting connections beyond the limits (never the one that has just come: it is the newest).
  void limit_waiting(const std::string& client) {
    auto count = [&](const std::string& from) {
      std::size_t n = 0;
      for (const auto& [sock, c] : connections_) n += c.waiting && !c.pushed_out && (from.empty() || c.client == from);
      return n;
    };
    while (count(client) > max_waiting_per_client && push_out_oldest(client)) {
    }
    while (count("") > max_waiting && push_out_oldest("")) {
    }
  }
  bool push_out_oldest(const std::string& client) {
    Connection* oldest = nullptr;
    int oldest_sock = -1;
    for (auto& [sock, c] : connections_) {
      if (c.waiting && !c.pushed_out && (client.empty() || c.client == client) &&
          (oldest == nullptr || c.since < oldest->since)) {
        oldest = &c;
        oldest_sock = sock;
      }
    }
    if (oldest == nullptr) return false;
    oldest->pushed_out = true;
    --open_;
    ::shutdown(oldest_sock, SHUT_RDWR);  // still open: its thread closes it only after leave(), under this lock
    return true;
  }

  mutable std::mutex mutex_;
  std::map<int, Connection> connections_;
  std::size_t open_ = 0;  ///< connections not pushed out
  std::uint64_t sequence_ = 0;
  bool stopping_ = false;
  int wake_[2] = {-1, -1};
};

namespace {

// One connection as cpp-httplib reads and writes it: the request's head is read ahead (read_head) against its
// deadline, then handed out from the buffer; the body must come by the same deadline.
class GatedStream : public httplib::Stream {
 public:
  enum class Head { whole, closed, too_slow, too_large };

  GatedStream(int sock, const ConnectionGate& gate, std::chrono::seconds write_timeout)
      : sock_(sock), gate_(gate), write_timeout_(write_timeout) {}

  /// Waits up to `idle` for a request's first byte, then up to `request_time` for the rest of its head.
  Head read_head() {
    buffer_.erase(0, offset_);  // what a client sent ahead (a pipelined request) stays
    offset_ = 0;
    if (buffer_.empty()) {
      if (!wait_readable(std::chrono::steady_clock::now() + idle_time) || !receive()) return Head::closed;
    }
    deadline_ = std::chrono::steady_clock::now() + request_time;
    for (;;) {
      if (buffer_.find("\n\r\n") != std::string::npos) return Head::whole;  // httplib ends a head at a CRLF line
      if (buffer_.size() > max_head_bytes) return Head::too_large;
      if (!wait_readable(deadline_)) return gate_.stopping() ? Head::closed : Head::too_slow;
      if (!receive()) return Head::closed;
    }
  }
  /// Answers a request that never arrived whole, then the connection is closed.
  void refuse(int status, const std::string& reason, const std::string& message) {
    const std::string body = dump(json{{"error", message}});
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
    text += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    text += "Connection: close\r\n\r\n" + body;
    send(sock_, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);  // a client that does not read gets nothing
  }

  bool is_readable() const override { return offset_ < buffer_.size() || wait_readable(deadline_); }
  bool is_writable() const override { return wait_writable() && peer_open(); }
  ssize_t read(char* ptr, std::size_t size) override {
    if (offset_ < buffer_.size()) {
      const std::size_t n = std::min(size, buffer_.size() - offset_);
      std::memcpy(ptr, buffer_.data() + offset_, n);
      offset_ += n;
      return static_cast<ssize_t>(n);
    }
    if (!wait_readable(deadline_)) return -1;
    return recv(sock_, ptr, size, 0);
  }
  ssize_t write(const char* ptr, std::size_t size) override {
    if (!wait_writable()) return -1;
    return send(sock_, ptr, size, MSG_NOSIGNAL);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { ip = socket_address(sock_, true, &port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { ip = socket_address(sock_, false, &port); }
  socket_t socket() const override { return sock_; }

 private:
  static int milliseconds_until(std::chrono::steady_clock::time_point t) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(t - std::chrono::steady_clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60 * 60 * 1000));
  }
  // Whether the socket has something to read (or its end) before `deadline`; false when the server stops first.
  bool wait_readable(std::chrono::steady_clock::time_point deadline) const {
    for (;;) {
      pollfd fds[2] = {{sock_, POLLIN, 0}, {gate_.wake_fd(), POLLIN, 0}};
      const int n = poll(fds, 2, milliseconds_until(deadline));
      if (n < 0 && errno == EINTR) continue;
      return n > 0 && fds[1].revents == 0 && fds[0].revents != 0;
    }
  }
  // Whether the socket can take more within the write timeout; once the server is stopping, a client that does not
  // read gets a last moment only.
  bool wait_writable() const {
    pollfd fds[2] = {{sock_, POLLOUT, 0}, {gate_.wake_fd(), POLLIN, 0}};
    int n = 0;
    while ((n = poll(fds, 2, static_cast<int>(std::chrono::milliseconds(write_timeout_).count()))) < 0 &&
           errno == EINTR) {
    }
    if (n <= 0) return false;
    if (fds[0].revents != 0) return (fds[0].revents & POLLOUT) != 0;
    pollfd last{sock_, POLLOUT, 0};
    return poll(&last, 1, 200) == 1 && (last.revents & POLLOUT) != 0;
  }
  // Whether the client is still there: a page that went away has closed its end (its run is then released).
  bool peer_open() const {
    if (offset_ < buffer_.size()) return true;
    pollfd ready{sock_, POLLIN, 0};
    if (poll(&ready, 1, 0) != 1) return true;
    char byte = 0;
    return recv(sock_, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
  }
  bool receive() {
    char chunk[4096];
    const ssize_t n = recv(sock_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int sock_;
  const ConnectionGate& gate_;
  std::chrono::seconds write_timeout_;
  std::string buffer_;
  std::size_t offset_ = 0;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::now();
};

// A thread for each connection (the gate bounds how many), joined when it ends or when the server stops.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it : finished_) {
      it->join();
      threads_.erase(it);
    }
    finished_.clear();
    auto it = threads_.emplace(threads_.end());
    // The thread records itself as finished under this lock, so only once `*it` holds it.
    *it = std::thread([this, fn = std::move(fn), it] {
      fn();
      std::lock_guard<std::mutex> done(mutex_);
      finished_.push_back(it);
    });
  }
  void shutdown() override {
    std::list<std::thread> all;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      all.splice(all.end(), threads_);
    }
    for (auto& t : all) t.join();
    std::lock_guard<std::mutex> lock(mutex_);
    finished_.clear();
  }

 private:
  std::mutex mutex_;
  std::list<std::thread> threads_;
  std::vector<std::list<std::thread>::iterator> finished_;
};

// An IP address (v4, or v6 with or without brackets) as bytes, to compare two spellings of one address.
std::optional<std::string> address_bytes(std::string literal) {
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') {
    literal = literal.substr(1, literal.size() - 2);
  }
  unsigned char bytes[sizeof(in6_addr)];
  for (const int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, literal.c_str(), bytes) == 1) {
      return std::string(reinterpret_cast<const char*>(bytes), family == AF_INET ? sizeof(in_addr) : sizeof(in6_addr));
    }
  }
  return std::nullopt;
}

// Whether `bytes` (from address_bytes) is one of this machine's addresses now (they may change while it serves).
bool is_local_address(const std::string& bytes) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return false;
  bool found = false;
  for (const ifaddrs* a = list; a != nullptr && !found; a = a->ifa_next) {
    if (a->ifa_addr == nullptr) continue;
    if (a->ifa_addr->sa_family == AF_INET) {
      const auto& v4 = reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr;
      found = bytes == std::string(reinterpret_cast<const char*>(&v4), sizeof v4);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      const auto& v6 = reinterpret_cast<const sockaddr_in6*>(a->ifa_addr)->sin6_addr;
      found = bytes == std::string(reinterpret_cast<const char*>(&v6), sizeof v6);
    }
  }
  freeifaddrs(list);
  return found;
}

}  // namespace

GatedServer::GatedServer() : gate_(std::make_unique<ConnectionGate>()) {
  new_task_queue = [] { return new ConnectionThreads; };
}

GatedServer::~GatedServer() = default;

int GatedServer::bind(const std::string& host, int port) {
  const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  if (bound >= 0) ::listen(svr_sock_, SOMAXCONN);  // Linux takes a new backlog for a socket already listening
  return bound;
}

void GatedServer::stop_connections() { gate_->stop(); }

std::string GatedServer::bound_address() const { return socket_address(svr_sock_, false); }

bool GatedServer::process_and_close_socket(socket_t sock) {
  bool ok = false;
  if (!gate_->admit(sock, socket_address(sock, true))) {
    GatedStream(sock, *gate_, std::chrono::seconds(write_timeout_sec_))
        .refuse(503, "Service Unavailable", "the server has too many connections; try again in a moment");
  } else {
    GatedStream stream(sock, *gate_, std::chrono::seconds(write_timeout_sec_));
    for (std::size_t left = keep_alive_max_count_; left > 0; --left) {
      const GatedStream::Head head = stream.read_head();
      if (head == GatedStream::Head::too_slow) {
        stream.refuse(408, "Request Timeout",
                      "the request did not arrive within " + std::to_string(request_time.count()) + " seconds");
      } else if (head == GatedStream::Head::too_large) {
        stream.refuse(431, "Request Header Fields Too Large", "the request's headers are too large");
      }
      if (head != GatedStream::Head::whole || !gate_->serving(sock)) break;
      bool client_closes = false;
      ok = process_request(stream, left == 1 || gate_->stopping(), client_closes, nullptr);
      if (!ok || client_closes || gate_->stopping()) break;
      gate_->waiting(sock);
    }
  }
  gate_->leave(sock);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  const auto first = type.find_first_not_of(" \t"), last = type.find_last_not_of(" \t");
  return first == std::string::npos ? "" : lowercase(type.substr(first, last - first + 1));
}

HostCheck::HostCheck(const std::string& bound, const std::string& given, int port) {
  // Built piece by piece: GCC 12's -Wrestrict misreads `const char* + std::string` here without LTO.
  port_ = ":";
  port_ += std::to_string(port);
  const auto bytes = address_bytes(bound);
  const bool v6 = bytes && bytes->size() == sizeof(in6_addr);
  wildcard_ = bytes && bytes->find_first_not_of('\0') == std::string::npos;
  in6_addr v6_loopback = IN6ADDR_LOOPBACK_INIT;
  loopback_ = bytes && (v6 ? *bytes == std::string(reinterpret_cast<const char*>(&v6_loopback), sizeof v6_loopback)
                           : static_cast<unsigned char>((*bytes)[0]) == 127);
  if (!wildcard_) add(v6 ? "[" + bound + "]" : bound);      // 0.0.0.0 names no machine
  if (!given.empty() && !address_bytes(given)) add(given);  // a name; an address was added as served
  if (loopback_ || wildcard_) {
    for (const char* name : {"localhost", "127.0.0.1", "[::1]"}) add(name);
  }
}

bool HostCheck::accepts(const std::string& host) const {
  const std::string name = lowercase(host);
  if (names_.count(name) > 0) return true;
  if (!wildcard_) return false;
  // Any address of this machine, with the port served.
  std::string address = name;
  if (address.size() > port_.size() && address.compare(address.size() - port_.size(), port_.size(), port_) == 0) {
    address.resize(address.size() - port_.size());
  } else if (port_ != ":80") {
    return false;
  }
  const auto bytes = address_bytes(address);
  return bytes && (address.find(':') == std::string::npos || address.front() == '[') && is_local_address(*bytes);
}

std::string HostCheck::expected() const {
  std::string names;
  for (const auto& name : names_in_order_) names += (names.empty() ? "" : ", ") + name + port_;
  return wildcard_ ? "an address of this machine with port " + port_.substr(1) + " (such as " + names + ")" : names;
}

void HostCheck::add(const std::string& name) {
  const std::string n = lowercase(name);
  if (!names_.insert(n + port_).second) return;
  names_in_order_.push_back(n);
  if (port_ == ":80") names_.insert(n);
}

}  // namespace frontdoor
