// Completions run from loop timers, in the order the calls were made, never from inside the call.
#include "fake_network.h"

#include "net/ip_address.h"

namespace rp::testing {
namespace {

constexpr uint32_t kAnswerTtl = 300;

DnsAnswer address_answer(const std::string& name, DnsType type, const std::string& value) {
  return DnsAnswer{name, static_cast<uint16_t>(type), kAnswerTtl, value};
}

std::string sni_label(const std::optional<std::string>& server_name) { return server_name.value_or("-"); }

}  // namespace

FakeNetwork::FakeNetwork(EventLoop& loop) : loop_(loop) {}

void FakeNetwork::resolve(const std::string& name, std::vector<std::string> v4, std::vector<std::string> v6) {
  DnsQueryResult a{std::nullopt, 0, {}};
  for (const auto& ip : v4) a.answers.push_back(address_answer(name, DnsType::A, ip));
  DnsQueryResult aaaa{std::nullopt, 0, {}};
  for (const auto& ip : v6) aaaa.answers.push_back(address_answer(name, DnsType::AAAA, ip));
  queries_[{name, static_cast<uint16_t>(DnsType::A)}] = std::move(a);
  queries_[{name, static_cast<uint16_t>(DnsType::AAAA)}] = std::move(aaaa);
}

void FakeNetwork::fail_query(const std::string& name, DnsType type, Failure failure) {
  queries_[{name, static_cast<uint16_t>(type)}] = DnsQueryResult{failure, std::nullopt, {}};
}

void FakeNetwork::fail_connect(const std::string& address, uint16_t port, Failure failure) {
  connect_failures_[host_port(address, port)] = failure;
}

void FakeNetwork::fail_handshake(const std::string& address, const std::optional<std::string>& server_name,
                                 Failure failure) {
  tls_failures_[{address, sni_label(server_name)}] = failure;
}

void FakeNetwork::serve(const std::string& url, HttpFetchResult result) { pages_[url] = std::move(result); }

void FakeNetwork::redirect(const std::string& url, const std::string& location, long status) {
  HttpFetchResult r;
  r.response = HttpFetchResponse{status, {{"Location", location}}, "", false};
  r.redirect_location = location;
  serve(url, std::move(r));
}

void FakeNetwork::reply_to_exchange(const std::string& server, const std::string& name,
                                    std::vector<std::vector<std::string>> replies) {
  DnsExchangeResult r{std::nullopt, {}, 0};
  for (const auto& answers : replies) {
    DnsExchangeReply reply;
    reply.after = 0.01 * static_cast<double>(r.replies.size() + 1);
    reply.message.is_response = true;
    reply.message.question_name = name;
    reply.message.question_type = static_cast<uint16_t>(DnsType::A);
    for (const auto& ip : answers) reply.message.answers.push_back(address_answer(name, DnsType::A, ip));
    r.replies.push_back(std::move(reply));
  }
  exchanges_[{server, name}] = std::move(r);
}

void FakeNetwork::release_held() {
  while (!held_.empty()) {
    loop_.add_timer(Duration{0}, std::move(held_.front()));
    held_.pop_front();
  }
}

std::vector<std::string> FakeNetwork::calls_starting(const std::string& prefix) const {
  std::vector<std::string> out;
  for (const auto& c : calls_) {
    if (c.rfind(prefix, 0) == 0) out.push_back(c);
  }
  return out;
}

void FakeNetwork::complete(Duration after, std::function<void()> fn) {
  if (holding_) return held_.push_back(std::move(fn));
  loop_.add_timer(after, std::move(fn));
}

void FakeNetwork::dns_query(const std::string& name, DnsType type, std::function<void(DnsQueryResult)> cb) {
  calls_.push_back("query " + name + " " + dns_type_name(static_cast<uint16_t>(type)));
  DnsQueryResult r{std::nullopt, 0, {}};
  if (auto it = queries_.find({name, static_cast<uint16_t>(type)}); it != queries_.end()) r = it->second;
  complete(Duration{0}, [cb = std::move(cb), r = std::move(r)] { cb(r); });
}

void FakeNetwork::dns_exchange(const std::string& server, uint16_t port, const std::string& name, DnsType, Duration,
                               Duration, std::function<void(DnsExchangeResult)> cb, const OnSocket&) {
  calls_.push_back("exchange " + host_port(server, port) + " " + name);
  DnsExchangeResult r{Failure::generic_timeout_error, {}, 0};
  if (auto it = exchanges_.find({server, name}); it != exchanges_.end()) r = it->second;
  complete(Duration{0}, [cb = std::move(cb), r = std::move(r)] { cb(r); });
}

void FakeNetwork::tcp_connect(const std::string& ip, uint16_t port, Duration, std::function<void(TcpConnectResult)> cb,
                              const OnSocket&) {
  const std::string where = host_port(ip, port);
  calls_.push_back("tcp " + where);
  TcpConnectResult r;
  if (auto it = connect_failures_.find(where); it != connect_failures_.end()) {
    r.failure = it->second;
  } else {
    r.fd = next_fd_++;
    open_fds_[r.fd] = where;
  }
  complete(Duration{0}, [cb = std::move(cb), r] { cb(r); });
}

void FakeNetwork::close_socket(int fd) { open_fds_.erase(fd); }

void FakeNetwork::tls_handshake(int fd, std::shared_ptr<TrustStore>, std::optional<std::string> server_name,
                                std::string, Duration, std::function<void(TlsHandshakeResult)> cb) {
  const auto it = open_fds_.find(fd);
  const std::string where = it != open_fds_.end() ? it->second : "?";
  if (it != open_fds_.end()) open_fds_.erase(it);
  calls_.push_back("tls " + where + " sni=" + sni_label(server_name));
  const std::string address = where.substr(0, where.rfind(':'));
  TlsHandshakeResult r;
  if (auto f = tls_failures_.find({address, sni_label(server_name)}); f != tls_failures_.end()) {
    r.failure = f->second;
  } else {
    r.handshake_completed = true;
    r.tls_version = "TLSv1.3";
    r.trusted = true;
  }
  complete(Duration{0}, [cb = std::move(cb), r = std::move(r)] { cb(r); });
}

void FakeNetwork::http_fetch(HttpFetchRequest request, std::function<void(HttpFetchResult)> cb) {
  calls_.push_back("http " + request.url + (request.address ? " via " + *request.address : ""));
  HttpFetchResult r;
  if (auto it = pages_.find(request.url); it != pages_.end()) {
    r = it->second;
  } else {
    r.response = HttpFetchResponse{200, {{"Content-Type", "text/html"}}, "<title>ok</title>", false};
  }
  r.server_address = request.address ? request.address : std::optional(request.host);
  r.over_tls = request.url.rfind("https://", 0) == 0;
  complete(Duration{0}, [cb = std::move(cb), r = std::move(r)] { cb(r); });
}

void FakeNetwork::localize_path(const LocalizationRequest& request, const LocalizationSettings&,
                                std::function<void(LocalizationResult)> cb) {
  calls_.push_back("localize " + to_string(request.kind) + " " + host_port(request.address, request.port));
  localizations_.push_back(request);
  most_localizing_ = std::max(most_localizing_, ++localizing_);
  complete(localization_time_, [this, cb = std::move(cb)] {
    --localizing_;
    cb(LocalizationResult{});
  });
}

}  // namespace rp::testing
