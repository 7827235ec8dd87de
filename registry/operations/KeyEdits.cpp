// createKey, deleteKey, flush.
#include "registry/Error.h"
#include "registry/Operations.h"

namespace regbridge {

Empty CreateKey::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  if (path.parts.empty())
    throw RegistryError(ErrorCode::InvalidPath,
                        "cannot create '" + params.key + "': it is a hive root, which always exists", params.key);
  backend.createKey(path);
  return {};
}

Empty DeleteKey::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  if (path.parts.empty())
    throw RegistryError(ErrorCode::AccessDenied, "cannot delete '" + params.key + "': it is a hive root", params.key);
  backend.deleteKey(path, params.recursive);
  return {};
}

Empty Flush::run(Backend& backend, const Params&) {
  backend.flush();
  return {};
}

} // namespace regbridge
