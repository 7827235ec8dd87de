// Two overlapped pipe operations Asio has no function for, awaitable like its own: ConnectNamedPipe (wait for a
// client on a listening instance) and a zero-byte ReadFile (wait until the pipe has data, holding no buffer — the
// way libuv waits on pipes too; Asio's own async_read_some treats a zero-byte read as done at once). Both complete
// through the io_context's completion port via overlapped_ptr, and both honour per-operation cancellation by
// cancelling their own OVERLAPPED with CancelIoEx.
#pragma once

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/windows/overlapped_ptr.hpp>
#include <boost/asio/windows/stream_handle.hpp>
#include <cstddef>
#include <windows.h>

namespace regbridge::server::win {

namespace detail {

// Starts `start(handle, overlapped)` (which returns the Win32 BOOL and leaves GetLastError) as an overlapped
// operation completing `handler`. `alreadyDone` is an error code that means success without a completion packet
// (ERROR_PIPE_CONNECTED for ConnectNamedPipe).
template <class Handler, class Start>
void startOverlapped(boost::asio::windows::stream_handle& handle, Handler handler, Start start, DWORD alreadyDone) {
  namespace asio = boost::asio;
  auto slot = asio::get_associated_cancellation_slot(handler);
  asio::windows::overlapped_ptr op(handle.get_executor(), std::move(handler));
  HANDLE native = handle.native_handle();
  OVERLAPPED* overlapped = op.get();
  if (slot.is_connected())
    slot.assign([native, overlapped](asio::cancellation_type) { ::CancelIoEx(native, overlapped); });
  BOOL ok = start(native, overlapped);
  DWORD error = ok ? ERROR_SUCCESS : ::GetLastError();
  if (ok || error == ERROR_IO_PENDING) {
    op.release(); // a completion packet is on its way (the handle does not skip them on synchronous success)
  } else if (alreadyDone != ERROR_SUCCESS && error == alreadyDone) {
    op.complete(boost::system::error_code(), 0);
  } else {
    op.complete(boost::system::error_code(static_cast<int>(error), asio::error::get_system_category()), 0);
  }
}

} // namespace detail

// Waits for a client to connect to the listening instance `pipe`. Completes with (error_code, 0).
template <class Token> auto asyncConnectPipe(boost::asio::windows::stream_handle& pipe, Token&& token) {
  return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
      [&pipe](auto handler) {
        detail::startOverlapped(
            pipe, std::move(handler), [](HANDLE h, OVERLAPPED* o) { return ::ConnectNamedPipe(h, o); },
            ERROR_PIPE_CONNECTED); // the client came between CreateNamedPipe and now
      },
      token);
}

// Waits until `pipe` has bytes to read (or has failed: ERROR_BROKEN_PIPE once the client closed its end).
template <class Token> auto asyncWaitReadable(boost::asio::windows::stream_handle& pipe, Token&& token) {
  return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
      [&pipe](auto handler) {
        detail::startOverlapped(
            pipe, std::move(handler),
            [](HANDLE h, OVERLAPPED* o) {
              static char none;
              return ::ReadFile(h, &none, 0, nullptr, o);
            },
            ERROR_SUCCESS);
      },
      token);
}

} // namespace regbridge::server::win
