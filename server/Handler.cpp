#include "server/Handler.h"

#include "protocol/Dispatcher.h"
#include "protocol/JsonWtf8.h"

namespace regbridge::server {

// Only a backend whose reads never wait inside a NoBlockingScope (the hive store's: from memory, or WouldBlock
// whenever it would touch the disk) is read on the I/O thread. The Windows backend's is not: each of its reads is an
// advapi32 call into the kernel's registry, which may wait for the hive's pages to come in from disk, for another
// process holding the key's lock, or for a remote or performance key's provider. On the I/O thread such a wait would
// stall every client of the helper, so its reads all go to the workers. (The addon may run them on the JS thread:
// there the wait stalls only the caller.)
TableHandler::TableHandler(Backend& backend) : backend_(backend), inlineReads_(backend.honoursNoBlockingScope()) {}

bool TableHandler::handles(std::string_view method) const { return protocol::Dispatcher::find(method) != nullptr; }

std::vector<std::exception_ptr> Handler::runGrouped(GroupItems& items) const { return runOneByOne(items); }

bool TableHandler::groupable(std::string_view method) const {
  const protocol::OperationEntry* entry = protocol::Dispatcher::find(method);
  return entry && entry->mutates;
}

bool TableHandler::answersInline(std::string_view method) const {
  const protocol::OperationEntry* entry = protocol::Dispatcher::find(method);
  return inlineReads_ && entry && !entry->mutates;
}

void Handler::callInto(std::string_view method, const nlohmann::ordered_json& params, std::string& out,
                       const std::atomic<bool>* abandoned) const {
  nlohmann::ordered_json result = call(method, params);
  if (abandoned && abandoned->load()) return;
  protocol::appendJsonWtf8(out, result);
}

void TableHandler::callInto(std::string_view method, const nlohmann::ordered_json& params, std::string& out,
                            const std::atomic<bool>* abandoned) const {
  const protocol::OperationEntry* entry = protocol::Dispatcher::find(method);
  if (!entry) throw protocol::RpcError(protocol::rpc::MethodNotFound, "Method not found: " + std::string(method));
  entry->write(backend_, params, out, abandoned);
}

nlohmann::ordered_json TableHandler::call(std::string_view method, const nlohmann::ordered_json& params) const {
  const protocol::OperationEntry* entry = protocol::Dispatcher::find(method);
  if (!entry) throw protocol::RpcError(protocol::rpc::MethodNotFound, "Method not found: " + std::string(method));
  return entry->call(backend_, params);
}

} // namespace regbridge::server
