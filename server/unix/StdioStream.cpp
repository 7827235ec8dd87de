// --stdio: stdin and stdout as one stream, as language servers are run.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <poll.h>
#include <stdexcept>
#include <unistd.h>

#include "server/Listener.h"
#include "server/unix/ReadWhenReady.h"

namespace regbridge::server {

namespace {

class StdioStream final : public Stream {
public:
  explicit StdioStream(asio::io_context& io) : in_(io), out_(io) {
    // Duplicates, so that closing the stream does not free fds 0 and 1 for an unrelated file to take.
    boost::system::error_code ec;
    in_.assign(::dup(STDIN_FILENO), ec);
    if (!ec) out_.assign(::dup(STDOUT_FILENO), ec);
    if (!ec) in_.non_blocking(true, ec);
    if (!ec) outFd_ = out_.native_handle();
    if (ec)
      throw std::runtime_error("--stdio needs stdin and stdout to be pipes, sockets or terminals (" + ec.message() +
                               ")");
  }

  asio::awaitable<std::size_t> readSome(asio::mutable_buffer buffer) override {
    co_return co_await readWhenReady(in_, buffer);
  }
  // stdin at end of file but stdout still open: the client may be waiting for its answers (a pipe's writer gets
  // POLLERR once its reader is gone).
  bool peerGone() const override {
    pollfd p{outFd_, POLLOUT, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)) != 0;
  }
  asio::awaitable<void> writeAll(const std::vector<asio::const_buffer>& buffers) override {
    co_await asio::async_write(out_, buffers, asio::use_awaitable);
  }
  void close() override {
    boost::system::error_code ignored;
    in_.close(ignored);
    out_.close(ignored);
  }
  std::string describe() const override { return "stdio"; }

private:
  asio::posix::stream_descriptor in_;
  asio::posix::stream_descriptor out_;
  int outFd_ = -1;
};

} // namespace

std::unique_ptr<Stream> openStdioStream(asio::io_context& io) { return std::make_unique<StdioStream>(io); }

} // namespace regbridge::server
