// --stdio on Windows: stdin and stdout as one stream, served by two threads doing blocking ReadFile and WriteFile.
// The handles a process inherits are almost never overlapped (CreatePipe makes synchronous pipes, libuv opens the
// child's end of its pipes synchronous, a console or a redirected file is never overlapped), and a handle's mode
// cannot be changed once opened, so the completion port cannot serve them. The threads hand results to the I/O
// thread with asio::post; readSome still copies into the shared buffer only once data is there, as the Stream
// contract asks.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <windows.h>

#include "server/Listener.h"
#include "server/win/Win32Util.h"

namespace regbridge::server {

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

class StdioStream;

// What the threads share with the stream. It outlives the stream: a thread blocked in ReadFile on a console or a
// pipe nobody writes to cannot be woken portably, so the threads are detached and end with the process.
struct Shared {
  win::UniqueHandle in, out;
  std::mutex mutex;
  std::condition_variable wake;
  bool closing = false;         // the stream is gone: post nothing more
  StdioStream* owner = nullptr; // touched on the I/O thread only
  asio::any_io_executor executor;

  bool readWanted = false;
  std::vector<char> chunk = std::vector<char>(kChunkBytes);
  std::size_t begin = 0, end = 0;
  bool atEnd = false;
  DWORD readError = 0;

  bool writeWanted = false;
  std::vector<char> outgoing;
  DWORD writeError = 0;
};

class StdioStream final : public Stream {
public:
  explicit StdioStream(asio::io_context& io) : shared_(std::make_shared<Shared>()), readWake_(io), writeWake_(io) {
    shared_->in.reset(duplicate(STD_INPUT_HANDLE, "stdin"));
    shared_->out.reset(duplicate(STD_OUTPUT_HANDLE, "stdout"));
    shared_->owner = this;
    shared_->executor = io.get_executor();
    std::thread(readerMain, shared_).detach();
    std::thread(writerMain, shared_).detach();
  }
  ~StdioStream() override { close(); }

  asio::awaitable<std::size_t> readSome(asio::mutable_buffer buffer) override {
    for (;;) {
      {
        std::lock_guard lock(shared_->mutex);
        Shared& s = *shared_;
        if (s.end > s.begin) {
          std::size_t n = std::min(buffer.size(), s.end - s.begin);
          std::memcpy(buffer.data(), s.chunk.data() + s.begin, n);
          s.begin += n;
          co_return n;
        }
        if (s.atEnd) co_return 0;
        if (s.readError)
          throw boost::system::system_error(static_cast<int>(s.readError), asio::error::get_system_category());
        if (!s.readWanted) {
          s.readWanted = true;
          s.wake.notify_all();
        }
      }
      readReady_ = false;
      readWake_.expires_at(asio::steady_timer::time_point::max());
      co_await readWake_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!readReady_) throw boost::system::system_error(asio::error::operation_aborted);
    }
  }

  // Whether whoever reads stdout is still there cannot be asked of a synchronous pipe without writing to it; answer
  // no, and let the next write fail if it is gone.
  bool peerGone() const override { return false; }

  asio::awaitable<void> writeAll(const std::vector<asio::const_buffer>& buffers) override {
    {
      std::lock_guard lock(shared_->mutex);
      shared_->outgoing.resize(asio::buffer_size(buffers));
      asio::buffer_copy(asio::buffer(shared_->outgoing), buffers);
      shared_->writeWanted = true;
      shared_->wake.notify_all();
    }
    writeReady_ = false;
    writeWake_.expires_at(asio::steady_timer::time_point::max());
    co_await writeWake_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!writeReady_) throw boost::system::system_error(asio::error::operation_aborted);
    std::lock_guard lock(shared_->mutex);
    if (shared_->writeError)
      throw boost::system::system_error(static_cast<int>(shared_->writeError), asio::error::get_system_category());
  }

  void close() override {
    {
      std::lock_guard lock(shared_->mutex);
      shared_->closing = true;
      shared_->wake.notify_all();
    }
    shared_->owner = nullptr;
    readWake_.cancel();
    writeWake_.cancel();
  }

  std::string describe() const override { return "stdio"; }

private:
  // A duplicate, so that closing ours never frees the standard handle's value for an unrelated object to take.
  static HANDLE duplicate(DWORD which, const char* name) {
    HANDLE standard = ::GetStdHandle(which);
    HANDLE copy = nullptr;
    if (standard == nullptr || standard == INVALID_HANDLE_VALUE)
      throw std::runtime_error(std::string("--stdio needs a ") + name + "; this process has none");
    if (!::DuplicateHandle(::GetCurrentProcess(), standard, ::GetCurrentProcess(), &copy, 0, FALSE,
                           DUPLICATE_SAME_ACCESS))
      throw std::runtime_error(win::describeError(std::string("--stdio cannot use ") + name, ::GetLastError()));
    return copy;
  }

  // Runs on the I/O thread, posted by a thread.
  static void notify(const std::shared_ptr<Shared>& shared, bool read) {
    StdioStream* stream = shared->owner;
    if (!stream) return;
    if (read) {
      stream->readReady_ = true;
      stream->readWake_.cancel();
    } else {
      stream->writeReady_ = true;
      stream->writeWake_.cancel();
    }
  }

  static void readerMain(std::shared_ptr<Shared> shared) {
    Shared& s = *shared;
    for (;;) {
      {
        std::unique_lock lock(s.mutex);
        s.wake.wait(lock, [&] { return s.readWanted || s.closing; });
        if (s.closing) return;
      }
      DWORD n = 0;
      BOOL ok = ::ReadFile(s.in.get(), s.chunk.data(), static_cast<DWORD>(s.chunk.size()), &n, nullptr);
      DWORD error = ok ? ERROR_SUCCESS : ::GetLastError();
      std::lock_guard lock(s.mutex);
      s.begin = 0;
      s.end = n;
      // A pipe whose writer closed reports ERROR_BROKEN_PIPE; a file or a console, a read of 0 bytes.
      s.atEnd = (ok && n == 0) || error == ERROR_BROKEN_PIPE || error == ERROR_HANDLE_EOF;
      s.readError = s.atEnd ? ERROR_SUCCESS : error;
      s.readWanted = false;
      if (s.closing) return;
      asio::post(s.executor, [shared] { notify(shared, true); });
      if (s.atEnd || s.readError) return;
    }
  }

  static void writerMain(std::shared_ptr<Shared> shared) {
    Shared& s = *shared;
    for (;;) {
      std::vector<char> data;
      {
        std::unique_lock lock(s.mutex);
        s.wake.wait(lock, [&] { return s.writeWanted || s.closing; });
        if (s.closing) return;
        data.swap(s.outgoing);
      }
      DWORD error = ERROR_SUCCESS;
      for (std::size_t done = 0; done < data.size();) {
        DWORD n = 0;
        DWORD size = static_cast<DWORD>(std::min<std::size_t>(data.size() - done, 1u << 30));
        if (!::WriteFile(s.out.get(), data.data() + done, size, &n, nullptr)) {
          error = ::GetLastError();
          break;
        }
        done += n;
      }
      std::lock_guard lock(s.mutex);
      s.writeError = error;
      s.writeWanted = false;
      if (s.closing) return;
      asio::post(s.executor, [shared] { notify(shared, false); });
      if (error) return;
    }
  }

  std::shared_ptr<Shared> shared_;
  asio::steady_timer readWake_;
  asio::steady_timer writeWake_;
  bool readReady_ = false;
  bool writeReady_ = false;
};

} // namespace

std::unique_ptr<Stream> openStdioStream(asio::io_context& io) { return std::make_unique<StdioStream>(io); }

} // namespace regbridge::server
