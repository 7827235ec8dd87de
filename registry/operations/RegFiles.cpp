// exportKey, importRegFile: .reg files (registry/regfile/).
#include "registry/Operations.h"
#include "registry/regfile/RegFileApply.h"
#include "registry/regfile/RegFileParser.h"
#include "registry/regfile/RegFileWriter.h"

namespace regbridge {

std::string ExportKey::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  return exportRegFile(backend, path);
}

Empty ImportRegFile::run(Backend& backend, const Params& params) {
  applyRegEdits(backend, parseRegFile(params.text));
  return {};
}

} // namespace regbridge
