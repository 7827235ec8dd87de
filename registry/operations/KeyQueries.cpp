// listSubkeys, keyExists, getKeyInfo.
#include "registry/Operations.h"

namespace regbridge {

std::vector<std::string> ListSubkeys::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  return backend.listSubkeys(path, {params.openLink});
}

bool KeyExists::run(Backend& backend, const Params& params) { return backend.keyExistsAt(params.key, params.view); }

KeyInfo GetKeyInfo::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  RawKeyInfo info = backend.getKeyInfo(path, {params.openLink});
  return {info.subkeyCount,
          info.valueCount,
          {info.lastWriteFileTime},
          std::move(info.className),
          std::move(info.linkTarget)};
}

} // namespace regbridge
