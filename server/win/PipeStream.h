// One connected instance of the server's named pipe, as a Stream.
#pragma once

#include <boost/asio/windows/stream_handle.hpp>
#include <memory>
#include <string>

#include "server/Stream.h"

namespace regbridge::server::win {

// `pipe` is connected; `clientPid` is for log lines.
std::unique_ptr<Stream> makePipeStream(asio::windows::stream_handle pipe, unsigned long clientPid);

} // namespace regbridge::server::win
