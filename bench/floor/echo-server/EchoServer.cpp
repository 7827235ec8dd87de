// The pipe floor: the least a server can do to answer a JSON-RPC request over the same kind of socket (a Unix stream
// socket) with the same framing (`Content-Length: N\r\n\r\n` + body) as regbridge-server. It parses no JSON: for each
// request it finds the bytes of `"id":` and `"params":` by a plain scan and splices them into the answer
// `{"jsonrpc":"2.0","id":<id>,"result":<params>}`. One thread, poll(); the answers to what one read() brought are
// written as regbridge-server writes them: the first at once, then every 16 (so that the client reads while the rest
// are answered). Whatever regbridge's helper costs above this is its own work, not the kernel's.
//
//   regbridge-echo-floor <socket path>     prints "ready" on stdout once listening; exits on SIGTERM or stdin EOF
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// One client: the bytes read and not yet framed, the answers not yet written.
struct Client {
  int fd;
  std::string in;
  std::string out;
};

// The end of the JSON value starting at `at` (an object, array, string or scalar), by counting brackets outside
// strings; npos when the body ends first.
size_t valueEnd(std::string_view body, size_t at) {
  int depth = 0;
  bool inString = false;
  for (size_t i = at; i < body.size(); i++) {
    const char c = body[i];
    if (inString) {
      if (c == '\\') i++;
      else if (c == '"') inString = false;
      if (depth == 0 && !inString) return i + 1;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i; // the end of the enclosing object: a scalar ended here
      if (--depth == 0) return i + 1;
    } else if (depth == 0 && c == ',') {
      return i;
    }
  }
  return std::string_view::npos;
}

// The bytes of the member `"name":` of the request's top-level object (found by a scan: the floor trusts its client),
// or "null".
std::string_view member(std::string_view body, std::string_view quotedName) {
  const size_t found = body.find(quotedName);
  if (found == std::string_view::npos) return "null";
  size_t at = found + quotedName.size();
  while (at < body.size() && (body[at] == ' ' || body[at] == ':')) at++;
  const size_t end = valueEnd(body, at);
  if (end == std::string_view::npos) return "null";
  return body.substr(at, end - at);
}

// Appends the answer to one request body.
void answer(std::string_view body, std::string& out) {
  const std::string_view id = member(body, "\"id\"");
  const std::string_view params = member(body, "\"params\"");
  constexpr size_t fixed = sizeof R"({"jsonrpc":"2.0","id":,"result":})" - 1;
  char header[48];
  const int headerLength =
      std::snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", fixed + id.size() + params.size());
  out.append(header, static_cast<size_t>(headerLength));
  out.append("{\"jsonrpc\":\"2.0\",\"id\":");
  out.append(id);
  out.append(",\"result\":");
  out.append(params);
  out.push_back('}');
}

// Writes what it can of client.out; false when the client is gone.
bool flush(Client& client) {
  while (!client.out.empty()) {
    const ssize_t n = ::write(client.fd, client.out.data(), client.out.size());
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    client.out.erase(0, static_cast<size_t>(n));
  }
  return true;
}

// Frames every complete request in `client.in`, answering each; keeps the incomplete tail.
void frame(Client& client) {
  size_t at = 0;
  size_t answered = 0;
  for (;;) {
    const size_t headerEnd = client.in.find("\r\n\r\n", at);
    if (headerEnd == std::string::npos) break;
    const size_t lengthAt = client.in.find("Content-Length:", at);
    if (lengthAt == std::string::npos || lengthAt > headerEnd) {
      at = headerEnd + 4; // a header without a length: skipped
      continue;
    }
    const size_t length = std::strtoul(client.in.c_str() + lengthAt + 15, nullptr, 10);
    if (client.in.size() < headerEnd + 4 + length) break;
    answer(std::string_view(client.in).substr(headerEnd + 4, length), client.out);
    at = headerEnd + 4 + length;
    if (++answered % 16 == 1) flush(client); // a client gone is found by the main loop's flush
  }
  client.in.erase(0, at);
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: regbridge-echo-floor <socket path>\n");
    return 2;
  }
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (std::strlen(argv[1]) >= sizeof address.sun_path) {
    std::fprintf(stderr, "regbridge-echo-floor: socket path too long: %s\n", argv[1]);
    return 2;
  }
  std::strcpy(address.sun_path, argv[1]);
  ::unlink(argv[1]);
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 128) != 0) {
    std::fprintf(stderr, "regbridge-echo-floor: cannot listen on %s: %s\n", argv[1], std::strerror(errno));
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);

  std::vector<Client> clients;
  std::vector<pollfd> fds;
  std::vector<char> buffer(256 * 1024);
  for (;;) {
    // fds[0]: stdin (EOF: the parent is gone), fds[1]: the listener, then the clients in order.
    fds.clear();
    fds.push_back({0, POLLIN, 0});
    fds.push_back({listener, POLLIN, 0});
    for (const Client& c : clients)
      fds.push_back({c.fd, static_cast<short>(POLLIN | (c.out.empty() ? 0 : POLLOUT)), 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (fds[0].revents != 0) {
      const ssize_t n = ::read(0, buffer.data(), buffer.size());
      if (n <= 0) break;
    }
    for (size_t i = clients.size(); i-- > 0;) {
      Client& client = clients[i];
      const short revents = fds[i + 2].revents;
      bool alive = true;
      if (revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t n = ::read(client.fd, buffer.data(), buffer.size());
        if (n <= 0) {
          alive = n < 0 && (errno == EAGAIN || errno == EINTR);
        } else {
          client.in.append(buffer.data(), static_cast<size_t>(n));
          frame(client);
        }
      }
      if (alive) alive = flush(client);
      if (!alive) {
        ::close(client.fd);
        clients.erase(clients.begin() + static_cast<long>(i));
      }
    }
    if (fds[1].revents & POLLIN) {
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd >= 0) clients.push_back({fd, {}, {}});
    }
  }
  ::close(listener);
  ::unlink(argv[1]);
  return 0;
}
