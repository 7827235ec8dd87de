// Reading in two steps, for the shared read buffer of Stream::readSome: wait until the descriptor is readable
// (holding no buffer), then read what is there at once with a non-blocking read_some.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <cstddef>

namespace regbridge::server {

// `stream` must be in non-blocking mode. 0 at end of file.
template <class AsyncStream>
boost::asio::awaitable<std::size_t> readWhenReady(AsyncStream& stream, boost::asio::mutable_buffer buffer) {
  namespace asio = boost::asio;
  for (;;) {
    auto [waitError] = co_await stream.async_wait(AsyncStream::wait_read, asio::as_tuple(asio::use_awaitable));
    if (waitError) throw boost::system::system_error(waitError);
    boost::system::error_code ec;
    std::size_t n = stream.read_some(buffer, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) continue; // a spurious wake-up
    if (ec == asio::error::eof) co_return 0;
    if (ec) throw boost::system::system_error(ec);
    co_return n;
  }
}

} // namespace regbridge::server
