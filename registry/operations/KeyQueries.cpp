// listSubkeys, keyExists, getKeyInfo.
#include "registry/Operations.h"

namespace regbridge {

std::vector<std::string> ListSubkeys::run(Backend& backend, const Params& params) {
  return backend.listSubkeys(KeyPath::parse(params.key), {params.openLink});
}

bool KeyExists::run(Backend& backend, const Params& params) {
  return backend.keyExists(KeyPath::parse(params.key));
}

KeyInfo GetKeyInfo::run(Backend& backend, const Params& params) {
  RawKeyInfo info = backend.getKeyInfo(KeyPath::parse(params.key), {params.openLink});
  return {info.subkeyCount, info.valueCount, {info.lastWriteFileTime}, std::move(info.className),
          std::move(info.linkTarget)};
}

} // namespace regbridge
