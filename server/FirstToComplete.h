// Waiting on several process handles at once until the first one fires: the parent watch's wait on each platform
// (pidfds on Linux, process handles on Windows), which differ only in how one wait is started.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <memory>

namespace regbridge::server {

// Starts `startWait(handle, done)` on each of `handles` and returns when the first `done` is called: normally when
// its wait succeeded, by throwing operation_aborted when it was cancelled (handle.cancel()) or failed. The waits
// share a timer that never expires on its own; the first completion cancels it, which ends the race.
template <typename Handles, typename StartWait>
boost::asio::awaitable<void> firstToComplete(const boost::asio::any_io_executor& executor, Handles& handles,
                                             StartWait startWait) {
  namespace asio = boost::asio;
  struct Race {
    explicit Race(const asio::any_io_executor& e) : done(e, asio::steady_timer::time_point::max()) {}
    asio::steady_timer done;
    bool completed = false;
  };
  auto race = std::make_shared<Race>(executor);
  for (auto& handle : handles) {
    startWait(handle, [race](boost::system::error_code ec) {
      if (!ec) race->completed = true;
      race->done.cancel();
    });
  }
  co_await race->done.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!race->completed) throw boost::system::system_error(asio::error::operation_aborted);
}

} // namespace regbridge::server
