// The named-pipe listener: \\.\pipe\NAME, local clients only, created as the pipe's first instance (so a name
// someone else holds is refused rather than joined), a DACL for this user and SYSTEM only, and a check of each
// client's user. One unconnected instance is always listening: a new one is made the moment a client takes the
// last, so the name is never free for another process to claim while we run.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/windows/stream_handle.hpp>
#include <cwctype>
#include <optional>
#include <stdexcept>
#include <windows.h>

#include "server/Listener.h"
#include "server/win/OverlappedOps.h"
#include "server/win/PipeSecurity.h"
#include "server/win/PipeStream.h"
#include "server/win/Win32Util.h"

namespace regbridge::server {

namespace {

using win::describeError;

constexpr DWORD kPipeBufferBytes = 64 * 1024;
// Windows' limit on a pipe name, \\.\pipe\ included.
constexpr std::size_t kMaxPipeNameChars = 256;
const std::wstring kPipePrefix = L"\\\\.\\pipe\\";

bool startsWithPipePrefix(const std::wstring& name) {
  if (name.size() <= kPipePrefix.size()) return false;
  for (std::size_t i = 0; i < kPipePrefix.size(); ++i)
    if (std::towlower(name[i]) != kPipePrefix[i]) return false;
  return true;
}

class NamedPipeListener final : public Listener {
public:
  NamedPipeListener(asio::io_context& io, std::string name, Log& log)
      : io_(io), name_(std::move(name)), wideName_(win::toUtf16(name_)), log_(log), user_(win::Sid::currentUser()),
        security_(user_) {
    pending_.emplace(createInstance(true));
  }
  ~NamedPipeListener() override { close(); }

  const std::string& address() const override { return name_; }

  asio::awaitable<void> acceptLoop(std::function<void(std::unique_ptr<Stream>)> onAccept) override {
    try {
      while (!closed_) {
        auto [ec, ignored] = co_await win::asyncConnectPipe(*pending_, asio::as_tuple(asio::use_awaitable));
        if (closed_ || ec == asio::error::operation_aborted) break;
        // Whatever happened to this instance, another listens before it is handed on or closed.
        asio::windows::stream_handle connected = std::move(*pending_);
        pending_.reset();
        try {
          pending_.emplace(createInstance(false));
        } catch (const std::exception& e) {
          // Without a listening instance the name could go to another process once our last connection closes;
          // rather than risk serving under a name we no longer own, stop accepting (open connections carry on).
          log_.error(std::string(e.what()) + "; no longer accepting connections");
          closed_ = true;
        }
        if (ec) {
          // ERROR_NO_DATA: the client went away before we saw it connect. Nothing to serve.
          log_.info("a connection attempt on " + name_ + " failed: " + ec.message());
          continue;
        }
        ULONG clientPid = 0;
        if (!::GetNamedPipeClientProcessId(connected.native_handle(), &clientPid)) {
          log_.warn(describeError("refused a client whose process id cannot be read", ::GetLastError()));
          continue; // `connected` closes as it goes out of scope
        }
        std::string why;
        std::optional<win::Sid> peer = win::Sid::userOfProcess(clientPid, why);
        if (!peer || !(*peer == user_)) {
          log_.warn("refused a connection from process " + std::to_string(clientPid) + ": " +
                    (peer ? "it runs as " + peer->text() + ", not as " + user_.text() : why));
          continue;
        }
        onAccept(win::makePipeStream(std::move(connected), clientPid));
      }
    } catch (const std::exception& e) {
      log_.error(std::string("the accept loop stopped: ") + e.what());
    }
  }

  void close() override {
    if (closedForGood_) return;
    closedForGood_ = closed_ = true;
    // Cancels the pending ConnectNamedPipe; once every instance is closed the name is free again.
    if (pending_) {
      boost::system::error_code ignored;
      pending_->cancel(ignored);
      pending_->close(ignored);
    }
  }

private:
  asio::windows::stream_handle createInstance(bool first) {
    DWORD openMode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
    DWORD pipeMode = PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS;
    HANDLE pipe = ::CreateNamedPipeW(wideName_.c_str(), openMode, pipeMode, PIPE_UNLIMITED_INSTANCES, kPipeBufferBytes,
                                     kPipeBufferBytes, 0, security_.attributes());
    DWORD error = ::GetLastError();
    // FILE_FLAG_FIRST_PIPE_INSTANCE fails with ERROR_ACCESS_DENIED when any instance of the name exists, ours from
    // an earlier run or a stranger's (ERROR_PIPE_BUSY when that pipe allows no more instances). Wine ignores the
    // flag and makes us one more instance of the existing pipe; counting the instances catches that, and ours is
    // closed at once.
    bool taken = false;
    if (first && pipe == INVALID_HANDLE_VALUE) {
      taken = error == ERROR_ACCESS_DENIED || error == ERROR_PIPE_BUSY;
    } else if (first) {
      DWORD instances = 0;
      taken = ::GetNamedPipeHandleStateW(pipe, nullptr, &instances, nullptr, nullptr, nullptr, 0) && instances > 1;
    }
    if (taken) {
      if (pipe != INVALID_HANDLE_VALUE) ::CloseHandle(pipe);
      throw std::runtime_error("the named pipe " + name_ +
                               " already exists (another server, or another program, holds that name); "
                               "choose another name");
    }
    if (pipe == INVALID_HANDLE_VALUE)
      throw std::runtime_error(describeError("cannot create the named pipe " + name_, error));
    asio::windows::stream_handle handle(io_);
    boost::system::error_code ec;
    handle.assign(pipe, ec);
    if (ec) {
      ::CloseHandle(pipe);
      throw std::runtime_error("cannot watch the named pipe " + name_ + ": " + ec.message());
    }
    return handle;
  }

  asio::io_context& io_;
  std::string name_;
  std::wstring wideName_;
  Log& log_;
  win::Sid user_;
  win::PrivatePipeSecurity security_;
  std::optional<asio::windows::stream_handle> pending_; // the instance waiting for a client
  bool closed_ = false;                                 // no more accepting
  bool closedForGood_ = false;                          // close() ran
};

} // namespace

std::unique_ptr<Listener> openListener(asio::io_context& io, const std::string& address, Log& log) {
  std::wstring wide = win::toUtf16(address);
  if (!startsWithPipePrefix(wide) || wide.find(L'\0') != std::wstring::npos)
    throw std::runtime_error("'" + address + "' is not a local pipe name: give \\\\.\\pipe\\NAME");
  if (wide.size() > kMaxPipeNameChars)
    throw std::runtime_error("the pipe name " + address + " is " + std::to_string(wide.size()) +
                             " characters long; Windows allows " + std::to_string(kMaxPipeNameChars));
  return std::make_unique<NamedPipeListener>(io, address, log);
}

} // namespace regbridge::server
