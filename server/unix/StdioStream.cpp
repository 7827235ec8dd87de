// --stdio: stdin and stdout as one stream, as language servers are run.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>
#include <unistd.h>

#include "server/Listener.h"

namespace regbridge::server {

namespace {

class StdioStream final : public Stream {
public:
  explicit StdioStream(asio::io_context& io) : in_(io), out_(io) {
    // Duplicates, so that closing the stream does not free fds 0 and 1 for an unrelated file to take.
    boost::system::error_code ec;
    in_.assign(::dup(STDIN_FILENO), ec);
    if (!ec) out_.assign(::dup(STDOUT_FILENO), ec);
    if (ec)
      throw std::runtime_error("--stdio needs stdin and stdout to be pipes, sockets or terminals (" + ec.message() +
                               ")");
  }

  asio::awaitable<std::size_t> readSome(asio::mutable_buffer buffer) override {
    auto [ec, n] = co_await in_.async_read_some(buffer, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::eof) co_return 0;
    if (ec) throw boost::system::system_error(ec);
    co_return n;
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
};

} // namespace

std::unique_ptr<Stream> openStdioStream(asio::io_context& io) { return std::make_unique<StdioStream>(io); }

} // namespace regbridge::server
