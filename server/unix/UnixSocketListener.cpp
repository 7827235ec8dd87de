// The Unix-socket listener: a private folder (0700, ours), a socket 0600 in it, and a peer-uid check on every
// connection, so that only the user who started the server can reach it even if the folder check were bypassed.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "server/Listener.h"
#include "server/unix/ReadWhenReady.h"

namespace regbridge::server {

namespace {

using Protocol = asio::local::stream_protocol;

std::string systemError(const std::string& what, int error) { return what + ": " + std::strerror(error); }

// A Unix socket whose peer closed it entirely reports POLLHUP; one whose peer only shut down its sending half does
// not (it may still read our answers).
bool hungUp(int fd) {
  pollfd p{fd, POLLOUT, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)) != 0;
}

class SocketStream final : public Stream {
public:
  explicit SocketStream(Protocol::socket socket) : socket_(std::move(socket)) { socket_.non_blocking(true); }

  asio::awaitable<std::size_t> readSome(asio::mutable_buffer buffer) override {
    co_return co_await readWhenReady(socket_, buffer);
  }
  bool peerGone() const override { return hungUp(fd_); }
  asio::awaitable<void> writeAll(const std::vector<asio::const_buffer>& buffers) override {
    co_await asio::async_write(socket_, buffers, asio::use_awaitable);
  }
  std::size_t tryWrite(const std::vector<asio::const_buffer>& buffers) override {
    boost::system::error_code ec; // would_block, or a failure that writeAll will meet again and report
    std::size_t n = socket_.write_some(buffers, ec);
    return ec ? 0 : n;
  }
  void close() override {
    boost::system::error_code ignored;
    socket_.shutdown(Protocol::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  std::string describe() const override { return "socket fd " + std::to_string(fd_); }

private:
  Protocol::socket socket_;
  int fd_ = socket_.native_handle();
};

// The uid of the process at the other end, as the kernel recorded it at connect().
std::optional<uid_t> peerUid(Protocol::socket& socket) {
#if defined(__APPLE__) || defined(__FreeBSD__)
  uid_t uid;
  gid_t gid;
  if (::getpeereid(socket.native_handle(), &uid, &gid) != 0) return std::nullopt;
  return uid;
#else
  struct ucred cred {};
  socklen_t size = sizeof cred;
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0) return std::nullopt;
  return cred.uid;
#endif
}

// Creates the socket's folder 0700 if it is missing; otherwise insists that it is a real folder (not a symlink),
// ours and 0700, because anyone who can write to the folder could swap the socket for their own.
bool preparePrivateFolder(const std::filesystem::path& folder) {
  bool created = false;
  if (::mkdir(folder.c_str(), 0700) == 0) {
    created = true;
    ::chmod(folder.c_str(), 0700); // the umask may have taken bits away
  } else if (errno != EEXIST) {
    throw std::runtime_error(systemError("cannot create the socket folder " + folder.string(), errno));
  }
  struct stat st {};
  if (::lstat(folder.c_str(), &st) != 0)
    throw std::runtime_error(systemError("cannot inspect the socket folder " + folder.string(), errno));
  if (!S_ISDIR(st.st_mode))
    throw std::runtime_error("the socket folder " + folder.string() + " is not a folder (a symbolic link?)");
  if (st.st_uid != ::geteuid())
    throw std::runtime_error("the socket folder " + folder.string() + " belongs to uid " + std::to_string(st.st_uid) +
                             ", not to us (uid " + std::to_string(::geteuid()) + ")");
  if ((st.st_mode & 07777) != 0700) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw std::runtime_error("the socket folder " + folder.string() + " has mode " + mode +
                             "; it must be 0700 (private to this user)");
  }
  return created;
}

// A socket file left behind by a server that crashed is removed; a live one is not taken over.
void removeStaleSocket(const std::string& path, Log& log) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode)) throw std::runtime_error(path + " exists and is not a socket");
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int error = errno;
  ::close(fd);
  if (rc == 0) throw std::runtime_error("another server is already listening on " + path);
  if (error != ECONNREFUSED) throw std::runtime_error(systemError("cannot check the existing socket " + path, error));
  log.info("removing the stale socket " + path);
  ::unlink(path.c_str());
}

class UnixSocketListener final : public Listener {
public:
  UnixSocketListener(asio::io_context& io, std::string path, Log& log)
      : io_(io), path_(std::move(path)), log_(log), acceptor_(io) {
    std::filesystem::path folder = std::filesystem::path(path_).parent_path();
    if (folder.empty()) folder = ".";
    createdFolder_ = preparePrivateFolder(folder);
    folder_ = folder;
    removeStaleSocket(path_, log_);
    acceptor_.open();
    acceptor_.bind(Protocol::endpoint(path_));
    // The folder already keeps others out; 0600 keeps the socket private even if the folder is opened up later.
    if (::chmod(path_.c_str(), 0600) != 0) throw std::runtime_error(systemError("cannot chmod " + path_, errno));
    struct stat st {};
    ::lstat(path_.c_str(), &st);
    device_ = st.st_dev;
    inode_ = st.st_ino;
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }
  ~UnixSocketListener() override { close(); }

  const std::string& address() const override { return path_; }

  asio::awaitable<void> acceptLoop(std::function<void(std::unique_ptr<Stream>)> onAccept) override {
    try {
      while (acceptor_.is_open()) {
        auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
        if (ec) {
          log_.warn("accept failed: " + ec.message());
          // Out of file descriptors: wait for some to be freed rather than spinning on the same error.
          asio::steady_timer pause(io_, std::chrono::milliseconds(100));
          co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
          continue;
        }
        std::optional<uid_t> uid = peerUid(socket);
        if (!uid || *uid != ::geteuid()) {
          log_.warn("refused a connection from " + (uid ? "uid " + std::to_string(*uid) : "an unknown user"));
          continue; // the socket closes as it goes out of scope
        }
        onAccept(std::make_unique<SocketStream>(std::move(socket)));
      }
    } catch (const std::exception& e) {
      log_.error(std::string("the accept loop stopped: ") + e.what());
    }
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    // Remove only our own socket: another server may have replaced it since (after we were declared stale).
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_) ::unlink(path_.c_str());
    if (createdFolder_) ::rmdir(folder_.c_str()); // fails harmlessly when something else is in it
  }

private:
  asio::io_context& io_;
  std::string path_;
  Log& log_;
  Protocol::acceptor acceptor_;
  std::filesystem::path folder_;
  bool createdFolder_ = false;
  bool closed_ = false;
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

} // namespace

std::unique_ptr<Listener> openListener(asio::io_context& io, const std::string& address, Log& log) {
  if (address.size() >= sizeof(sockaddr_un{}.sun_path))
    throw std::runtime_error("the socket path is " + std::to_string(address.size()) + " bytes long; the limit is " +
                             std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) +
                             ": choose a shorter folder (for instance under $XDG_RUNTIME_DIR or /tmp)");
  return std::make_unique<UnixSocketListener>(io, address, log);
}

} // namespace regbridge::server
