// `frontdoor serve` over HTTP: a server started on a free loopback port, then a valid run streamed to the end,
// every lever refused when it is out of range or of the wrong type, an oversized body, runs beyond the limit,
// a failing simulation, no files from the web, and a saved scenario that `frontdoor run` reproduces; then what a
// hostile or careless client cannot do (slow headers, numbers past a double, look-alike media types, a foreign
// Host), and how the server ends: promptly on SIGTERM, and after SIGKILL without leaving replications or folders.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "test_support.hpp"

extern char** environ;

using nlohmann::json;
using namespace frontdoor;

namespace {

// A `frontdoor serve --port 0` process; the address is read from the first line it prints. `tmpdir`, when given,
// is its TMPDIR: where it makes its working folder.
class Server {
 public:
  explicit Server(std::vector<std::string> extra = {}, const std::string& tmpdir = "") {
    signal(SIGPIPE, SIG_IGN);  // a server that closes a connection fails the test's write, not the whole test run
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> args{FRONTDOOR_BINARY, "serve", "--port", "0", "--quiet", "--jobs", "2", "--no-prestart"};
    for (auto& e : extra) args.push_back(e);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      if (tmpdir.empty() || std::string(*e).rfind("TMPDIR=", 0) != 0) env.emplace_back(*e);
    }
    if (!tmpdir.empty()) env.push_back("TMPDIR=" + tmpdir);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    if (posix_spawn(&pid_, FRONTDOOR_BINARY, &actions, nullptr, argv.data(), envp.data()) != 0) {
      throw std::runtime_error("spawn");
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string line;
    char c = 0;
    pollfd ready{out[0], POLLIN, 0};
    while (poll(&ready, 1, 60000) == 1 && read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const auto colon = line.rfind(':');
    if (line.rfind("http://", 0) != 0 || colon == std::string::npos || colon < 7) {
      throw std::runtime_error("the server printed no address: '" + line + "'");
    }
    host_ = line.substr(7, colon - 7);
    port_ = std::stoi(line.substr(colon + 1));
  }
  ~Server() {
    if (exited_) return;
    kill(pid_, SIGTERM);
    if (!wait_for_exit(std::chrono::seconds(10))) {  // a server that does not stop must not outlive the test
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  httplib::Client client() const {
    httplib::Client c(host_, port_);
    c.set_read_timeout(120, 0);
    return c;
  }
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// Whether the process is still running.
  bool alive() {
    if (!exited_ && waitpid(pid_, nullptr, WNOHANG) == pid_) exited_ = true;
    return !exited_;
  }
  /// Waits up to `limit` for the process to end; whether it did.
  bool wait_for_exit(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (alive() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return !alive();
  }

 private:
  pid_t pid_ = 0;
  std::string host_;
  int port_ = 0;
  bool exited_ = false;
};

struct Streamed {
  int status = 0;
  std::vector<json> lines;
  std::string body;
  const json* last(const std::string& type) const {
    const json* found = nullptr;
    for (const auto& l : lines) {
      if (l.value("type", "") == type) found = &l;
    }
    return found;
  }
};

Streamed post_run(const Server& server, const json& settings) {
  Streamed s;
  auto result = server.client().Post("/api/run", settings.dump(), "application/json");
  if (!result) throw std::runtime_error("no answer from the server");
  s.status = result->status;
  s.body = result->body;
  if (s.status == 200) {
    std::istringstream in(s.body);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) s.lines.push_back(json::parse(line));
    }
  }
  return s;
}

// A connection to `address` (an IPv4 literal on this machine), `port`.
int connect_to(const std::string& address, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd < 0 || inet_pton(AF_INET, address.c_str(), &to.sin_addr) != 1 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    throw std::runtime_error("cannot connect to " + address + ":" + std::to_string(port));
  }
  return fd;
}

// Sends `request` as it is on a new connection and returns everything the server answers until it closes.
std::string raw_http(const Server& server, const std::string& request) {
  const int fd = connect_to(server.host(), server.port());
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error("write");
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  return answer;
}

// Starts a run on a connection of its own (sent by hand) and reads until the server has accepted it; returns the
// socket, still open, and what was read so far.
int start_run_by_hand(const Server& server, const std::string& body, std::string& read_so_far) {
  const int fd = connect_to(server.host(), server.port());
  const std::string request = "POST /api/run HTTP/1.1\r\nHost: " + server.host() + ":" + std::to_string(server.port()) +
                              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\nConnection: close\r\n\r\n" + body;
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error("write");
  char buffer[4096];
  while (read_so_far.find("\"type\":\"accepted\"") == std::string::npos) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) throw std::runtime_error("the run was not accepted: " + read_so_far);
    read_so_far.append(buffer, static_cast<std::size_t>(n));
  }
  return fd;
}

// Reads what `fd` still sends for up to `limit`, then closes it.
std::string read_rest(int fd, std::chrono::milliseconds limit) {
  std::string text;
  const auto until = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  for (auto now = std::chrono::steady_clock::now(); now < until; now = std::chrono::steady_clock::now()) {
    pollfd ready{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
    if (poll(&ready, 1, static_cast<int>(left)) != 1) break;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return text;
}

// A process as /proc shows it: its parent, state and command line ("" when there is no such process).
struct ProcessInfo {
  pid_t parent = 0;
  char state = 0;
  std::string command;
};
ProcessInfo process_info(pid_t pid) {
  ProcessInfo info;
  const std::string stat = test_support::read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto name_end = stat.rfind(')');  // the command name in parentheses may hold spaces
  if (name_end == std::string::npos) return info;
  std::istringstream fields(stat.substr(name_end + 1));
  fields >> info.state >> info.parent;
  info.command = test_support::read_file("/proc/" + std::to_string(pid) + "/cmdline");
  std::replace(info.command.begin(), info.command.end(), '\0', ' ');
  return info;
}

// The `frontdoor replicate` processes whose parent is `parent`.
std::vector<pid_t> replications_of(pid_t parent) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    const ProcessInfo info = process_info(pid);
    if (info.parent == parent && info.command.find(" replicate ") != std::string::npos) found.push_back(pid);
  }
  return found;
}

// Whether `pid` is a `frontdoor replicate` still running (a zombie has ended; its number may since be another's).
bool replication_running(pid_t pid) {
  const ProcessInfo info = process_info(pid);
  return info.state != 0 && info.state != 'Z' && info.state != 'X' &&
         info.command.find(" replicate ") != std::string::npos;
}

// Waits up to `limit` until `parent` has at least one replication running; returns them.
std::vector<pid_t> wait_for_replications(pid_t parent, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  std::vector<pid_t> found;
  while ((found = replications_of(parent)).empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return found;
}

// The server's working folders (frontdoor-serve-*) in `tmpdir`.
std::vector<std::filesystem::path> serve_folders(const std::filesystem::path& tmpdir) {
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(tmpdir)) {
    if (entry.path().filename().string().rfind("frontdoor-serve-", 0) == 0) found.push_back(entry.path());
  }
  return found;
}

// The England baseline with `children` children, as `name`.toml in `dir`: five million make a replication run for
// many seconds, long enough to stop the server while it runs; ten thousand make one quick.
std::string write_council(const std::filesystem::path& dir, const std::string& name, int children) {
  const std::filesystem::path file = dir / (name + ".toml");
  const std::string count = std::to_string(children);
  std::string text = "# The England baseline with another number of children, for the serve tests.\n";
  text += "name = \"" + name + "\"\nversion = \"1.0.0\"\n";
  text += "description = \"the England baseline with " + count + " children\"\n";
  text += "base = \"" + test_support::source_path("scenarios/england_baseline.toml") + "\"\n\n";
  text += "[population]\nchildren = " + count + "\n";
  test_support::write_file(file, text);
  return file.string();
}
std::string write_slow_scenario(const std::filesystem::path& dir) {
  return write_council(dir, "slow_council", 5000000);
}

double annual_mean(const json& view, const std::string& measure, int index) {
  return view.at("annual").at(measure).at("mean").at(index).get<double>();
}

}  // namespace

TEST(Serve, ServesThePageTheChartLibraryAndTheLevers) {
  Server server;
  auto c = server.client();
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page->body.find("/echarts.min.js"), std::string::npos);
  auto library = c.Get("/echarts.min.js");
  ASSERT_TRUE(library);
  EXPECT_EQ(library->status, 200);
  EXPECT_GT(library->body.size(), 500000u) << "the whole chart library comes from the program, not the network";
  auto levers = c.Get("/api/levers");
  ASSERT_TRUE(levers);
  ASSERT_EQ(levers->status, 200);
  const json j = json::parse(levers->body);
  std::set<std::string> ids;
  for (const auto& l : j.at("levers")) {
    ids.insert(l.at("id"));
    EXPECT_FALSE(l.at("label").get<std::string>().empty());
    EXPECT_FALSE(l.at("unit").get<std::string>().empty());
    EXPECT_FALSE(l.at("help").get<std::string>().empty());
  }
  for (const char* id : {"referral_threshold", "early_help_threshold", "decision_noise", "early_help_budget_m",
                         "social_worker_posts_pct", "co_location", "shock", "years", "replications"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }
}

TEST(Serve, GivesNoFilesFromTheWeb) {
  Server server;
  auto c = server.client();
  for (const char* path : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/report.html", "/trainer.html",
                           "/CMakeLists.txt", "/api/../../etc/passwd", "/api/scenario?path=/etc/passwd"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_TRUE(res->status == 404 || res->status == 400) << path << " gave " << res->status;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << path;
  }
}

TEST(Serve, AValidRunStreamsProgressThenBothScenariosAndTheirDifference) {
  Server server;
  const Streamed s = post_run(server, {{"referral_threshold", 3.4}, {"years", 1}, {"replications", 2}});
  ASSERT_EQ(s.status, 200) << s.body;
  ASSERT_FALSE(s.lines.empty());
  EXPECT_EQ(s.lines.front().at("type"), "accepted");
  EXPECT_EQ(s.lines.front().at("changes").size(), 1u);
  int progress = 0;
  for (const auto& l : s.lines) progress += l.at("type") == "progress";
  EXPECT_EQ(progress, 4) << "one line as each of 2 x 2 replications ends";
  const json* data = s.last("data");
  ASSERT_NE(data, nullptr);
  EXPECT_TRUE(data->at("final").get<bool>());
  EXPECT_EQ(data->at("pairs"), 2);
  ASSERT_NE(s.last("done"), nullptr);
  EXPECT_EQ(s.last("error"), nullptr);
  // A higher threshold refers fewer children, and the paired difference says so clearly.
  const double base = annual_mean(data->at("base"), "referrals", 0),
               changed = annual_mean(data->at("changed"), "referrals", 0);
  EXPECT_LT(changed, 0.9 * base);
  bool found = false;
  for (const auto& row : data->at("difference")) {
    if (row.at("measure") != "referrals") continue;
    found = true;
    EXPECT_LT(row.at("diff").get<double>(), 0.0);
    EXPECT_TRUE(row.at("clear").get<bool>());
    EXPECT_LT(row.at("high").get<double>(), 0.0);
  }
  EXPECT_TRUE(found);
  // Every chart has something to draw.
  for (const char* which : {"base", "changed"}) {
    const json& view = data->at(which);
    EXPECT_EQ(view.at("year_labels").size(), 1u);
    EXPECT_EQ(view.at("month_labels").size(), 12u);
    EXPECT_EQ(view.at("caseload").at("mean").size(), 12u);
    EXPECT_TRUE(view.at("caseload").at("mean").at(0).is_number());
    EXPECT_GT(view.at("flows").at("links").size(), 5u);
    EXPECT_TRUE(view.at("annual").contains("rereferrals_within_12m_share"));
    EXPECT_TRUE(view.at("annual").contains("harm_events_after_nfa_or_closure_12m"));
  }
}

TEST(Serve, RefusesEveryBadParameterWithAReadableMessage) {
  Server server;
  auto c = server.client();
  const json levers = json::parse(c.Get("/api/levers")->body).at("levers");
  std::vector<std::pair<json, std::string>> bad;
  for (const auto& l : levers) {
    const std::string id = l.at("id");
    if (l.at("type") == "switch") {
      bad.push_back({{{id, 1}}, id});
      bad.push_back({{{id, "on"}}, id});
    } else {
      bad.push_back({{{id, l.at("max").get<double>() + 1}}, id});
      bad.push_back({{{id, l.at("min").get<double>() - 1}}, id});
      bad.push_back({{{id, "3"}}, id});
      bad.push_back({{{id, nullptr}}, id});
      if (l.at("type") == "integer") bad.push_back({{{id, 2.5}}, id});
    }
  }
  bad.push_back({{{"threshold", 3.0}}, "not a lever"});
  bad.push_back({{{"early_help_threshold", 3.2}, {"referral_threshold", 3.0}}, "early_help_threshold"});
  for (const auto& [body, expected] : bad) {
    for (const char* path : {"/api/run", "/api/scenario"}) {
      auto res = c.Post(path, body.dump(), "application/json");
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 400) << path << " " << body.dump();
      const std::string message = json::parse(res->body).at("error");
      EXPECT_NE(message.find(expected), std::string::npos) << body.dump() << " -> " << message;
    }
  }
  for (const char* text : {"{", "[1, 2]", "\"threshold\"", ""}) {
    auto res = c.Post("/api/run", text, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << text;
    EXPECT_FALSE(json::parse(res->body).at("error").get<std::string>().empty());
  }
  EXPECT_TRUE(server.alive());
}

TEST(Serve, RefusesAnOversizedBody) {
  Server server;
  auto c = server.client();
  const std::string huge = "{\"referral_threshold\": 3.0, \"padding\": \"" + std::string(64 * 1024, 'x') + "\"}";
  auto res = c.Post("/api/run", huge, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(json::parse(res->body).at("error").get<std::string>().find("too large"), std::string::npos);
  auto after = c.Get("/api/levers");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200) << "the server goes on serving";
}

TEST(Serve, RefusesBodiesOfUnknownLengthForeignPagesAndNonJson) {
  Server server;
  const std::string p = std::to_string(server.port());
  // A chunked body says its size only once it has all been read: refused before reading (411).
  std::string chunked = raw_http(server, "POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:" + p +
                                             "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                                             "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_NE(chunked.find("HTTP/1.1 411"), std::string::npos) << chunked;
  EXPECT_NE(chunked.find("Content-Length"), std::string::npos) << chunked;
  auto c = server.client();
  auto text = c.Post("/api/run", "{}", "text/plain");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 415) << "a cross-site form or fetch sends text/plain without asking first";
  auto gzip = c.Post("/api/run", httplib::Headers{{"Content-Encoding", "gzip"}}, "{}", "application/json");
  ASSERT_TRUE(gzip);
  EXPECT_EQ(gzip->status, 415);
  auto foreign = c.Post("/api/run", httplib::Headers{{"Origin", "http://evil.example"}}, "{}", "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_NE(json::parse(foreign->body).at("error").get<std::string>().find("another web site"), std::string::npos);
  // A name that resolves here only by a trick (DNS rebinding) is not this server's name.
  const std::string rebound =
      raw_http(server, "GET /api/levers HTTP/1.1\r\nHost: evil.example:" + p + "\r\nConnection: close\r\n\r\n");
  EXPECT_NE(rebound.find("HTTP/1.1 403"), std::string::npos) << rebound;
  // The page's own requests pass: same Origin as Host.
  auto own = c.Post("/api/scenario", httplib::Headers{{"Origin", "http://127.0.0.1:" + p}}, "{}", "application/json");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200);
  // Bytes that are not UTF-8 are a bad request, not a server error.
  auto bytes = c.Post("/api/run", "{\"referral_threshold\": \"\xff\xfe\"}", "application/json");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->status, 400);
  EXPECT_TRUE(server.alive());
}

TEST(Serve, APageThatGoesAwayFreesItsSlot) {
  Server server({"--max-runs", "1"});
  std::string first;
  const int fd =
      start_run_by_hand(server, json{{"decision_noise", 0.65}, {"years", 2}, {"replications", 8}}.dump(), first);
  close(fd);  // the page is closed mid-run
  // Its slot comes free, and its 16 replications are not simulated for nobody: those queued are dropped and those
  // running stopped.
  auto c = server.client();
  json status;
  for (int i = 0; i < 600; ++i) {
    status = json::parse(c.Get("/api/status")->body);
    if (status.at("runs") == 0 && status.at("queued") == 0 && status.at("running") == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status.at("runs"), 0) << status.dump();
  EXPECT_EQ(status.at("queued"), 0) << status.dump();
  EXPECT_LE(status.at("kept").get<int>(), 4) << "the abandoned run's replications were simulated: " << status.dump();
  const Streamed next = post_run(server, {{"years", 1}, {"replications", 2}});
  EXPECT_EQ(next.status, 200);
  EXPECT_NE(next.last("done"), nullptr);
}

TEST(Serve, RunsBeyondTheLimitAreToldToRetry) {
  Server server({"--max-runs", "1"});
  // The first run holds the only slot while it streams (settings no run has asked for, so nothing is cached): it
  // is sent by hand on a socket and read until the server has accepted it.
  std::string first;
  const int fd =
      start_run_by_hand(server, json{{"decision_noise", 0.55}, {"years", 1}, {"replications", 2}}.dump(), first);
  auto c = server.client();
  auto second =
      c.Post("/api/run", json{{"decision_noise", 0.6}, {"years", 1}, {"replications", 2}}.dump(), "application/json");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_EQ(second->get_header_value("Retry-After"), "5");
  EXPECT_NE(json::parse(second->body).at("error").get<std::string>().find("try again"), std::string::npos);
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) first.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  EXPECT_NE(first.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(first.find("\"type\":\"done\""), std::string::npos);
  // With the slot free again, the next run is served.
  const Streamed third = post_run(server, {{"decision_noise", 0.6}, {"years", 1}, {"replications", 2}});
  EXPECT_EQ(third.status, 200);
  EXPECT_NE(third.last("done"), nullptr);
}

TEST(Serve, AFailingSimulationIsReportedAndTheServerGoesOn) {
  // An engine setting SimGrid refuses makes every replication fail.
  Server server({"--cfg=no/such:setting"});
  const Streamed s = post_run(server, {{"years", 1}, {"replications", 2}});
  ASSERT_EQ(s.status, 200);
  const json* error = s.last("error");
  ASSERT_NE(error, nullptr) << s.body;
  EXPECT_NE(error->at("message").get<std::string>().find("failed"), std::string::npos) << error->dump();
  EXPECT_EQ(s.last("done"), nullptr);
  auto levers = server.client().Get("/api/levers");
  ASSERT_TRUE(levers);
  EXPECT_EQ(levers->status, 200);
  EXPECT_TRUE(server.alive());
}

TEST(Serve, ASavedScenarioRunsUnchangedAndGivesThePagesFigures) {
  Server server;
  const json settings{{"referral_threshold", 3.2}, {"decision_noise", 0.5}, {"social_worker_posts_pct", 90},
                      {"co_location", true},       {"shock", true},         {"years", 1},
                      {"replications", 2}};
  auto saved = server.client().Post("/api/scenario", settings.dump(), "application/json");
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 200) << saved->body;
  EXPECT_NE(saved->get_header_value("Content-Disposition").find("attachment; filename=\"trainer_"), std::string::npos);
  const Streamed page = post_run(server, settings);
  ASSERT_EQ(page.status, 200);
  const json* data = page.last("data");
  ASSERT_NE(data, nullptr) << page.body;

  test_support::TempDir dir;
  test_support::write_file(dir.path() / "saved.toml", saved->body);
  const std::string command = std::string(FRONTDOOR_BINARY) + " run " + (dir.path() / "saved.toml").string() +
                              " --seed 1 -r 2 -j 2 -q --out " + (dir.path() / "run").string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  // The page's first shown year is year 4 of the run (after the 3-year warm-up): every measure it shows is the
  // mean of the run's two replications.
  std::map<std::string, std::vector<double>> values;
  std::istringstream in(test_support::read_file(dir.path() / "run" / "annual.csv"));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream split(line);
    for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
    if (cells.size() == 6 && cells[2] == "4") values[cells[3]].push_back(std::stod(cells[5]));
  }
  const json& shown = data->at("changed").at("annual");
  ASSERT_GE(shown.size(), 10u);
  for (const auto& [measure, view] : shown.items()) {
    ASSERT_EQ(values[measure].size(), 2u) << measure;
    const double mean = (values[measure][0] + values[measure][1]) / 2.0;
    EXPECT_NEAR(view.at("mean").at(0).get<double>(), mean, 1e-9 * std::max(1.0, std::abs(mean))) << measure;
  }
}

TEST(Serve, RefusesAScenarioItCannotServeAndBadFlags) {
  // A council without latent need has no thresholds for the levers to move: a clear error, exit 2, no server.
  test_support::TempDir dir;
  const std::string err = (dir.path() / "err.txt").string();
  const std::string fixed = test_support::source_path("scenarios/england_fixed_shares.toml");
  int status =
      std::system((std::string("timeout 20 ") + FRONTDOOR_BINARY + " serve " + fixed + " --port 0 2>" + err).c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(test_support::read_file(err).find("latent need"), std::string::npos) << test_support::read_file(err);
  status = std::system((std::string("timeout 20 ") + FRONTDOOR_BINARY + " serve --port 70000 2>" + err).c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(test_support::read_file(err).find("--port"), std::string::npos) << test_support::read_file(err);
  // A port already taken.
  Server first;
  status = std::system((std::string("timeout 20 ") + FRONTDOOR_BINARY + " serve --no-prestart --port " +
                        std::to_string(first.port()) + " 2>" + err)
                           .c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(test_support::read_file(err).find("cannot listen"), std::string::npos) << test_support::read_file(err);
}

// The levers are data (scenarios/trainer/levers.toml), each key checked against the parameter schema when the
// server starts: a lever on a key no scenario has, or with a range its key cannot take, stops it with the line.
TEST(Serve, RefusesLeversOnKeysTheSchemaDoesNotHave) {
  test_support::TempDir dir;
  const std::filesystem::path scenarios = dir.path() / "scenarios";
  std::filesystem::copy(test_support::source_path("scenarios"), scenarios, std::filesystem::copy_options::recursive);
  const std::filesystem::path levers = scenarios / "trainer" / "levers.toml";
  std::string text = test_support::read_file(levers);
  text.replace(text.find("service.front_door.noise_sd"), 27, "service.front_door.noise_sdd");
  text.replace(text.find("range = [0.5, 20.0]"), 19, "range = [-1.0, 20.0]");
  test_support::write_file(levers, text);
  const std::string err = (dir.path() / "err.txt").string();
  const int status = std::system(("FRONTDOOR_SCENARIOS=" + scenarios.string() + " timeout 20 " + FRONTDOOR_BINARY +
                                  " serve --no-prestart --port 0 2>" + err)
                                     .c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string message = test_support::read_file(err);
  EXPECT_NE(message.find("/trainer/levers.toml:"), std::string::npos) << message;
  EXPECT_NE(message.find(": lever[2].sets: service.front_door.noise_sdd is not a scenario key"), std::string::npos)
      << message;
  EXPECT_NE(
      message.find("lever[3].range: service.early_help.team.budget_gbp must be in (0, 10000000000] pounds a year"),
      std::string::npos)
      << message;
}

TEST(Serve, ServesAPolicyWithItsOwnTimeline) {
  // child_death_shock.toml changes in years 4 to 6: a shorter run leaves out what would start after it, and the
  // shock lever, which would collide with the scenario's own changes, is refused with the reason.
  Server server({test_support::source_path("scenarios/policies/child_death_shock.toml")});
  const Streamed short_run = post_run(server, {{"years", 1}, {"replications", 2}, {"referral_threshold", 3.2}});
  EXPECT_EQ(short_run.status, 200) << short_run.body;
  EXPECT_NE(short_run.last("done"), nullptr);
  auto shock = server.client().Post("/api/scenario", json{{"shock", true}}.dump(), "application/json");
  ASSERT_TRUE(shock);
  EXPECT_EQ(shock->status, 400);
  EXPECT_NE(json::parse(shock->body).at("error").get<std::string>().find("changes over time"), std::string::npos);
}

// The shock lever applies policies/child_death_shock.toml's own [[change]] tables (not a copy of its numbers),
// moved so that the first starts in the first year shown; those after the years shown are left out.
TEST(Serve, TheShockLeverAppliesThePolicyFilesChanges) {
  Server server;
  auto shock = server.client().Post("/api/scenario", json{{"shock", true}, {"years", 2}}.dump(), "application/json");
  ASSERT_TRUE(shock);
  ASSERT_EQ(shock->status, 200) << shock->body;
  const std::string& text = shock->body;
  const auto first = text.find("[[change]]\nfrom_year = 4\nlabel = 'the case makes the news");
  EXPECT_NE(first, std::string::npos) << text;
  EXPECT_NE(text.find("[[change]]\nfrom_year = 5\nlabel = 'the inquiries report"), std::string::npos) << text;
  EXPECT_EQ(text.find("usual rate again"), std::string::npos) << "year 6 is after the 3 + 2 years run";
  // The policy's own numbers.
  EXPECT_NE(text.find("'need.drift_half_life_days' = 1826", first), std::string::npos) << text;
  EXPECT_NE(text.find("'need.notice_boost' = 0.08", first), std::string::npos) << text;
}

// Connections that each send one byte of a request every 2 seconds, for at most 10 bytes (and not after the test).
class SlowClients {
 public:
  SlowClients(const Server& server, int count) {
    const std::string head = "GET /api/status HTTP/1.1\r\nHost: " + server.host() + ":" +
                             std::to_string(server.port()) + "\r\nX-Slow: " + std::string(64, 'x') + "\r\n\r\n";
    for (int i = 0; i < count; ++i) sockets_.push_back(connect_to(server.host(), server.port()));
    drip_ = std::thread([this, head] {
      for (std::size_t byte = 0; byte < 10 && !finished_; ++byte) {
        for (const int fd : sockets_) send(fd, &head[byte], 1, MSG_NOSIGNAL);  // one the server closed just fails
        for (int tick = 0; tick < 20 && !finished_; ++tick) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~SlowClients() {
    finished_ = true;
    drip_.join();
    for (const int fd : sockets_) close(fd);
  }
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;

 private:
  std::vector<int> sockets_;
  std::atomic<bool> finished_{false};
  std::thread drip_;
};

TEST(Serve, AnswersWhileFiftySlowClientsDripTheirHeaders) {
  // Slowloris: connections that trickle their request in must not hold the server. Before, eight of them took
  // every thread of cpp-httplib's pool and a request was never answered. How fast it answers is a figure of
  // bench/serve.sh, not of this test; the client's timeout here only keeps a stalled server from hanging the test.
  Server server;
  const SlowClients slow(server, 50);
  // Asked twice: when every slow connection has sent its first byte, and after each has sent its second.
  for (const int wait_ms : {500, 2000}) {
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    httplib::Client c(server.host(), server.port());
    c.set_connection_timeout(10, 0);
    c.set_read_timeout(10, 0);
    auto res = c.Get("/api/status");
    EXPECT_TRUE(res) << "no answer to GET /api/status while 50 slow clients hold connections: the server is stalled "
                        "by slowloris";
    if (!res) continue;
    EXPECT_EQ(res->status, 200);
  }
  EXPECT_TRUE(server.alive());
}

TEST(Serve, RefusesANumberTooLargeForADoubleNamingTheLever) {
  // 1e999 overflows a double: the JSON parser gives up on it. That is the request's fault (400), not the server's.
  Server server;
  auto c = server.client();
  for (const auto& [body, lever] : std::vector<std::pair<std::string, std::string>>{
           {"{\"referral_threshold\":1e999}", "referral_threshold"},
           {"{\"decision_noise\": 0.5, \"early_help_budget_m\": -1e999}", "early_help_budget_m"},
           {"{\"years\":1E400}", "years"}}) {
    for (const char* path : {"/api/run", "/api/scenario"}) {
      auto res = c.Post(path, body, "application/json");
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 400) << path << " " << body << " -> " << res->body;
      const std::string message = json::parse(res->body).value("error", "");
      EXPECT_NE(message.find(lever), std::string::npos) << body << " -> " << message;
    }
  }
  EXPECT_TRUE(server.alive());
}

TEST(Serve, TakesJsonOnlyByItsExactMediaType) {
  Server server;
  auto c = server.client();
  for (const char* type : {"application/jsonp", "application/json-seq", "application/jsonx; charset=utf-8",
                           "application/json+evil", "text/json", "application/x-www-form-urlencoded"}) {
    auto res = c.Post("/api/scenario", "{}", type);
    ASSERT_TRUE(res) << type;
    EXPECT_EQ(res->status, 415) << type;
  }
  for (const char* type :
       {"application/json", "application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"}) {
    auto res = c.Post("/api/scenario", "{}", type);
    ASSERT_TRUE(res) << type;
    EXPECT_EQ(res->status, 200) << type << ": " << res->body;
  }
}

TEST(Serve, ChecksHostAndOriginAgainstTheAddressItServes) {
  // Served on another loopback address, the Host check must still hold: a rebound name is not this server's.
  Server server({"--host", "127.0.0.2"});
  ASSERT_EQ(server.host(), "127.0.0.2");
  const std::string p = std::to_string(server.port());
  auto get = [&](const std::string& host, const std::string& origin = "") {
    return raw_http(server, "GET /api/levers HTTP/1.1\r\nHost: " + host + "\r\n" +
                                (origin.empty() ? "" : "Origin: " + origin + "\r\n") + "Connection: close\r\n\r\n");
  };
  for (const std::string& host :
       std::vector<std::string>{"evil.example", "evil.example:" + p, "127.0.0.2:1" + p, "127.0.0.3:" + p, ""}) {
    const std::string answer = get(host);
    EXPECT_NE(answer.find("HTTP/1.1 403"), std::string::npos) << "Host " << host << ":\n" << answer;
  }
  for (const std::string& host :
       std::vector<std::string>{"127.0.0.2:" + p, "localhost:" + p, "LocalHost:" + p, "127.0.0.1:" + p}) {
    const std::string answer = get(host);
    EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << "Host " << host << ":\n" << answer.substr(0, 400);
  }
  EXPECT_NE(get("127.0.0.2:" + p, "http://evil.example").find("HTTP/1.1 403"), std::string::npos);
  EXPECT_NE(get("127.0.0.2:" + p, "http://127.0.0.2:" + p).find("HTTP/1.1 200"), std::string::npos);
}

// SIGTERM stops the runs in flight instead of waiting for them (it used to wait up to 80 s): the page is told, the
// run never finishes, and no replication outlives the server. How fast is bench material; the wait below only
// keeps a server that does not stop from hanging the test.
TEST(Serve, StopsOnSigtermEndingItsStreamsAndReplicationsWithoutFinishingTheRun) {
  test_support::TempDir dir;
  Server server({write_slow_scenario(dir.path())});
  std::string stream;
  const int fd =
      start_run_by_hand(server, json{{"decision_noise", 0.6}, {"years", 5}, {"replications", 8}}.dump(), stream);
  const std::vector<pid_t> replications = wait_for_replications(server.pid(), std::chrono::seconds(30));
  ASSERT_FALSE(replications.empty()) << "the run started no replication";
  kill(server.pid(), SIGTERM);
  EXPECT_TRUE(server.wait_for_exit(std::chrono::seconds(30))) << "the server did not stop on SIGTERM";
  stream += read_rest(fd, std::chrono::seconds(1));
  EXPECT_NE(stream.find("\"type\":\"error\""), std::string::npos) << "the page is told the run ended:\n" << stream;
  EXPECT_NE(stream.find("stopping"), std::string::npos) << stream;
  EXPECT_EQ(stream.find("\"type\":\"done\""), std::string::npos) << "the server finished the run before stopping:\n"
                                                                 << stream;
  for (const pid_t pid : replications) {
    EXPECT_FALSE(replication_running(pid)) << "replication process " << pid << " outlived the server";
    if (replication_running(pid)) kill(pid, SIGKILL);
  }
}

TEST(Serve, AKilledServersReplicationsDieWithItAndTheNextServerRemovesItsFolder) {
  test_support::TempDir dir;
  const std::filesystem::path tmpdir = dir.path() / "tmp";
  std::filesystem::create_directory(tmpdir);
  const std::string slow = write_slow_scenario(dir.path());
  std::vector<pid_t> replications;
  {
    Server first({slow}, tmpdir.string());
    std::string stream;
    const int fd =
        start_run_by_hand(first, json{{"decision_noise", 0.6}, {"years", 5}, {"replications", 8}}.dump(), stream);
    replications = wait_for_replications(first.pid(), std::chrono::seconds(30));
    ASSERT_FALSE(replications.empty()) << "the run started no replication";
    kill(first.pid(), SIGKILL);
    ASSERT_TRUE(first.wait_for_exit(std::chrono::seconds(5)));
    close(fd);
    EXPECT_EQ(serve_folders(tmpdir).size(), 1u) << "a killed server cannot remove its folder";
    // Its replications die with it: nothing is left computing for a server that has gone.
    // (The wait only keeps a regression from hanging the test: without the parent-death signal they would run on
    // for minutes, to the end of their simulation.)
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto running = [&] { return std::count_if(replications.begin(), replications.end(), replication_running); };
    while (running() > 0 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(running(), 0) << "replications of a killed server still run after it died";
    for (const pid_t pid : replications) {
      if (replication_running(pid)) kill(pid, SIGKILL);
    }
  }
  // The next server clears the dead one's folder, and keeps its own.
  Server second({}, tmpdir.string());
  const auto folders = serve_folders(tmpdir);
  ASSERT_EQ(folders.size(), 1u) << "the dead server's folder is still there";
  EXPECT_NE(folders[0].filename().string().find(std::to_string(second.pid())), std::string::npos) << folders[0];
}

TEST(Serve, KeepsNoMoreScenarioFilesThanTheResultsItKeeps) {
  // With room for 2 results, 3 runs of different settings leave at most 2 scenarios on disk, not one per run.
  test_support::TempDir tmpdir;
  Server server({write_council(tmpdir.path(), "small_council", 10000), "--cache", "2"}, tmpdir.path().string());
  for (const double noise : {0.45, 0.5, 0.55}) {
    const Streamed s = post_run(server, {{"decision_noise", noise}, {"years", 1}, {"replications", 2}});
    ASSERT_EQ(s.status, 200);
    ASSERT_NE(s.last("done"), nullptr) << s.body;
  }
  // A replication a page no longer waits for may still be ending (slowly, in a sanitizer build): count once none
  // runs.
  for (int i = 0; i < 6000; ++i) {
    const json status = json::parse(server.client().Get("/api/status")->body);
    if (status.at("running").get<int>() == 0 && status.at("queued").get<int>() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto folders = serve_folders(tmpdir.path());
  ASSERT_EQ(folders.size(), 1u);
  int scenarios = 0, outputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folders[0])) {
    scenarios += entry.path().extension() == ".toml";
    outputs += entry.path().extension() == ".json" || entry.path().extension() == ".err";
  }
  EXPECT_LE(scenarios, 2) << "scenario files outlive the results kept";
  EXPECT_EQ(outputs, 0) << "replication outputs are removed once read";
  const json status = json::parse(server.client().Get("/api/status")->body);
  EXPECT_LE(status.at("kept").get<int>(), 2) << status.dump();
}

TEST(Serve, AReplicationWhoseServerHasGoneEndsAtOnce) {
  // A replication started for a server that has already died (its parent is no longer that server) does not run.
  test_support::TempDir dir;
  const std::string command = "FRONTDOOR_PARENT_PID=1 timeout 20 " + std::string(FRONTDOOR_BINARY) + " replicate " +
                              write_council(dir.path(), "small_council", 10000) + " --out " +
                              (dir.path() / "r.json").string() + " 2>" + (dir.path() / "err.txt").string();
  const int status = std::system(command.c_str());
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "r.json"));
  EXPECT_NE(test_support::read_file(dir.path() / "err.txt").find("server"), std::string::npos)
      << test_support::read_file(dir.path() / "err.txt");
}
