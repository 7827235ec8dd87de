// What answers a request once the session has decided to run it: the handler table over a backend, or the echo
// floor. Both are called from worker threads and the I/O thread at once, so they must be thread-safe (backends are).
#pragma once

#include <atomic>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "registry/Backend.h"

namespace regbridge::server {

class Handler {
public:
  virtual ~Handler() = default;
  virtual bool handles(std::string_view method) const = 0;
  // Whether a call of `method` may be tried on the I/O thread inside a NoBlockingScope (registry/Backend.h): it only
  // reads, and the backend throws WouldBlock instead of waiting on the disk. False sends every call to a worker.
  virtual bool answersInline(std::string_view /*method*/) const { return false; }
  // Throws RpcError, RegistryError or anything else; the session turns each into an error response.
  virtual nlohmann::ordered_json call(std::string_view method, const nlohmann::ordered_json& params) const = 0;
  // Whether requests for `method` may run together as one group (runGrouped): those that may write, whose saves a
  // group shares. None by default.
  virtual bool groupable(std::string_view) const { return false; }
  // Backend::runGrouped: runs the items (each calling `call`) as one group; each item's outcome, null for success.
  // The default runs them one by one.
  virtual std::vector<std::exception_ptr> runGrouped(GroupItems& items) const;
  // call's result appended to `out` as JSON text (what appendJsonWtf8 writes), or nothing when `abandoned` is set
  // by the time the work is done. The default goes through call; the handler table writes the text directly.
  virtual void callInto(std::string_view method, const nlohmann::ordered_json& params, std::string& out,
                        const std::atomic<bool>* abandoned) const;
};

// Every operation of registry/Operations.h, through protocol::Dispatcher.
class TableHandler final : public Handler {
public:
  explicit TableHandler(Backend& backend);
  bool handles(std::string_view method) const override;
  bool answersInline(std::string_view method) const override;
  nlohmann::ordered_json call(std::string_view method, const nlohmann::ordered_json& params) const override;
  bool groupable(std::string_view method) const override;
  std::vector<std::exception_ptr> runGrouped(GroupItems& items) const override { return backend_.runGrouped(items); }
  void callInto(std::string_view method, const nlohmann::ordered_json& params, std::string& out,
                const std::atomic<bool>* abandoned) const override;

private:
  Backend& backend_;
  bool inlineReads_; // the backend keeps NoBlockingScope's promise
};

// --echo: every method exists and returns its params (null when absent). It goes through the same session, threads
// and framing as real requests, answered inline as a read from memory is, so it measures exactly the cost of
// everything but the store.
class EchoHandler final : public Handler {
public:
  bool handles(std::string_view) const override { return true; }
  bool answersInline(std::string_view) const override { return true; }
  nlohmann::ordered_json call(std::string_view, const nlohmann::ordered_json& params) const override { return params; }
};

} // namespace regbridge::server
