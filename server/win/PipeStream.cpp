#include "server/win/PipeStream.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>
#include <windows.h>

#include "server/win/OverlappedOps.h"

namespace regbridge::server::win {

namespace {

// Gathered buffers up to this size are copied into one WriteFile: a pipe handle takes one buffer per write, and a
// header written apart from its body would cost the client a second wake-up for every message.
constexpr std::size_t kCoalesceBytes = 64 * 1024;

// The errors that mean the client closed its end: a pipe has no half-close, so any of them is the end of the stream.
bool clientClosed(const boost::system::error_code& ec) {
  if (ec == asio::error::eof || ec == asio::error::broken_pipe) return true;
  if (ec.category() != asio::error::get_system_category()) return false;
  switch (ec.value()) {
  case ERROR_BROKEN_PIPE:
  case ERROR_PIPE_NOT_CONNECTED:
  case ERROR_HANDLE_EOF:
  case ERROR_NO_DATA: return true;
  default: return false;
  }
}

class PipeStream final : public Stream {
public:
  PipeStream(asio::windows::stream_handle pipe, unsigned long clientPid)
      : pipe_(std::move(pipe)), clientPid_(clientPid) {}

  asio::awaitable<std::size_t> readSome(asio::mutable_buffer buffer) override {
    for (;;) {
      auto [ec, ignored] = co_await asyncWaitReadable(pipe_, asio::as_tuple(asio::use_awaitable));
      if (clientClosed(ec)) co_return 0;
      if (ec) throw boost::system::system_error(ec);
      // Read only what is there, so that the read below returns at once instead of holding the thread (and the
      // shared buffer) until more comes.
      DWORD available = 0;
      if (!::PeekNamedPipe(pipe_.native_handle(), nullptr, 0, nullptr, &available, nullptr)) {
        boost::system::error_code peekError(static_cast<int>(::GetLastError()), asio::error::get_system_category());
        if (clientClosed(peekError)) co_return 0;
        throw boost::system::system_error(peekError);
      }
      if (available == 0) continue; // woken with nothing to read
      boost::system::error_code readError;
      std::size_t n = pipe_.read_some(asio::buffer(buffer, available), readError);
      if (clientClosed(readError)) co_return 0;
      if (readError) throw boost::system::system_error(readError);
      co_return n;
    }
  }

  // A named pipe has no half-close: the end of the stream means the client closed its handle.
  bool peerGone() const override { return true; }

  asio::awaitable<void> writeAll(const std::vector<asio::const_buffer>& buffers) override {
    std::size_t total = asio::buffer_size(buffers);
    if (buffers.size() > 1 && total <= kCoalesceBytes) {
      std::vector<char> joined(total); // in the frame, not the stream: an idle connection keeps no copy
      asio::buffer_copy(asio::buffer(joined), buffers);
      co_await asio::async_write(pipe_, asio::buffer(joined), asio::use_awaitable);
    } else {
      co_await asio::async_write(pipe_, buffers, asio::use_awaitable);
    }
  }

  void close() override {
    // What was written stays readable by the client after we close our end; it then sees the end of the stream.
    boost::system::error_code ignored;
    pipe_.cancel(ignored);
    pipe_.close(ignored);
  }

  std::string describe() const override { return "pipe instance, client pid " + std::to_string(clientPid_); }

private:
  asio::windows::stream_handle pipe_;
  unsigned long clientPid_;
};

} // namespace

std::unique_ptr<Stream> makePipeStream(asio::windows::stream_handle pipe, unsigned long clientPid) {
  return std::make_unique<PipeStream>(std::move(pipe), clientPid);
}

} // namespace regbridge::server::win
