// Where clients come from. One implementation per platform, chosen by CMake, so that shared code has no #ifdef:
// server/unix/UnixSocketListener.cpp (a socket in a private folder) and server/win/NamedPipeListener.cpp
// (\\.\pipe\NAME: remote clients rejected, first instance only, current user only).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "server/Log.h"
#include "server/Stream.h"

namespace regbridge::server {

class Listener {
public:
  virtual ~Listener() = default;
  // What the ready line reports as "pipe".
  virtual const std::string& address() const = 0;
  // Accepts until close(), handing each connection that passes the platform's checks (same user) to `onAccept`.
  virtual asio::awaitable<void> acceptLoop(std::function<void(std::unique_ptr<Stream>)> onAccept) = 0;
  // Stops accepting and removes what open made (the socket file; a pipe's name goes with its instances). Idempotent.
  virtual void close() = 0;
};

// Listening when it returns. Throws std::runtime_error with a message for the user (folder not private, path too
// long, another server already listening, a pipe name already taken, ...).
std::unique_ptr<Listener> openListener(asio::io_context& io, const std::string& address, Log& log);

// The process's stdin and stdout as one stream (--stdio). Throws std::runtime_error when they cannot be used
// (on Unix: when they cannot be used asynchronously, a regular file for instance).
std::unique_ptr<Stream> openStdioStream(asio::io_context& io);

} // namespace regbridge::server
