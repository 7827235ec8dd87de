// A connected byte stream to one client: a Unix socket, stdin/stdout, or a Windows named pipe instance.
// Connection is written against this, so the listeners are the only platform-specific code.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <string>
#include <vector>

namespace regbridge::server {

namespace asio = boost::asio;

class Stream {
public:
  virtual ~Stream() = default;
  // Some bytes, or 0 when the peer closed its end. Throws boost::system::system_error on failure, with
  // operation_aborted when the coroutine was cancelled. The stream first waits until it is readable and only then
  // copies into `buffer`, without suspending, so connections on one thread can share one buffer (each consuming it
  // before its next co_await) instead of keeping 64 KiB each while they sit idle.
  virtual asio::awaitable<std::size_t> readSome(asio::mutable_buffer buffer) = 0;
  // After readSome returned 0: whether the peer is gone for good (it closed the stream, rather than only its
  // sending half), so that nothing written to it could ever be read.
  virtual bool peerGone() const = 0;
  // All of the buffers, in order (one gathered write where the platform allows).
  virtual asio::awaitable<void> writeAll(const std::vector<asio::const_buffer>& buffers) = 0;
  // Writes what it can of `buffers` at once, without waiting, and returns how many bytes that was: 0 when the stream
  // would block, or on an error (the next writeAll reports it). Lets a connection send the answers of one read in
  // the same turn that produced them, without waking its write loop. A stream that cannot try returns 0, and
  // everything goes through writeAll.
  virtual std::size_t tryWrite(const std::vector<asio::const_buffer>& /*buffers*/) { return 0; }
  virtual void close() = 0;
  // For log lines.
  virtual std::string describe() const = 0;
};

} // namespace regbridge::server
