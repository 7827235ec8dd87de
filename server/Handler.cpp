#include "server/Handler.h"

#include "protocol/Dispatcher.h"

namespace regbridge::server {

bool TableHandler::handles(std::string_view method) const { return protocol::Dispatcher::find(method) != nullptr; }

std::vector<std::exception_ptr> Handler::runGrouped(GroupItems& items) const { return runOneByOne(items); }

bool TableHandler::groupable(std::string_view method) const {
  const protocol::OperationEntry* entry = protocol::Dispatcher::find(method);
  return entry && entry->mutates;
}

nlohmann::ordered_json TableHandler::call(std::string_view method, const nlohmann::ordered_json& params) const {
  const protocol::OperationEntry* entry = protocol::Dispatcher::find(method);
  if (!entry) throw protocol::RpcError(protocol::rpc::MethodNotFound, "Method not found: " + std::string(method));
  return entry->call(backend_, params);
}

} // namespace regbridge::server
