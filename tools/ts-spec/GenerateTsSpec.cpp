// Writes the TypeScript client's view of the handler table (registry/Operations.h) to standard output: the runtime
// spec of each operation (its params' names and kinds in order, its result's shape), the types of the Registry methods
// and of their options, and the interfaces of the structs results carry. The client is written over that file only
// (client-ts/src/registry.ts, client-ts/src/transport/), so that an operation added to the table appears in both
// modes and in the types with nothing written by hand. `npm run build` writes it to client-ts/src/generated/.
//
// The mapping of C++ types:
//   params   std::string -> string, positional        RegValue -> RegValueInput, positional
//            std::optional<RegValue> -> RegValueInput | null, positional
//            bool -> an option (boolean)              RegistryView -> an option (`view`, 32 | 64)
//   results  std::string, bool, std::uint32_t, std::vector<std::string> -> as they are on both transports
//            RegValue, NamedValue -> values (bytes and QWORDs decoded on the pipe)    Timestamp -> Date
//            a Described struct with typeName() -> its interface                      Empty -> void
#include <cstdint>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "registry/FieldDocs.h"
#include "registry/Operations.h"

namespace regbridge::tsspec {
namespace {

template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};

template <class T>
concept Named = Described<T> && requires {
  { typeName(static_cast<const T*>(nullptr)) } -> std::convertible_to<std::string_view>;
  { typeDoc(static_cast<const T*>(nullptr)) } -> std::convertible_to<std::string_view>;
};

// Everything the generator found wrong, printed together at the end so that one run shows every missing piece.
std::vector<std::string> problems;

std::string docOf(std::string_view field) {
  std::string_view doc = fieldDoc(field);
  if (doc.empty()) problems.push_back("registry/FieldDocs.h has no entry for the field '" + std::string(field) + "'");
  return std::string(doc);
}

// A JSDoc comment at `indent`, wrapped at 120 columns; `*/` cannot occur in it.
std::string comment(std::string_view text, std::string_view indent) {
  std::string safe(text);
  for (std::size_t at = safe.find("*/"); at != std::string::npos; at = safe.find("*/", at)) safe.replace(at, 2, "* /");
  const std::size_t width = 120;
  if (indent.size() + safe.size() + 7 <= width) return std::string(indent) + "/** " + safe + " */\n";
  std::string out = std::string(indent) + "/**\n";
  std::string line;
  std::istringstream words(safe);
  for (std::string word; words >> word;) {
    if (!line.empty() && indent.size() + 3 + line.size() + 1 + word.size() > width) {
      out += std::string(indent) + " * " + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += std::string(indent) + " * " + line + "\n";
  return out + std::string(indent) + " */\n";
}

std::string upperFirst(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// ---- params ----------------------------------------------------------------------------------------------------

template <class T> constexpr bool isOption = std::is_same_v<T, bool> || std::is_same_v<T, RegistryView>;

template <class T> std::string paramKind() {
  if constexpr (std::is_same_v<T, std::string>) return "string";
  else if constexpr (std::is_same_v<T, bool>) return "boolean";
  else if constexpr (std::is_same_v<T, RegistryView>) return "view";
  else if constexpr (std::is_same_v<T, RegValue>) return "value";
  else if constexpr (std::is_same_v<T, std::optional<RegValue>>) return "nullableValue";
  else static_assert(sizeof(T) == 0, "no TypeScript kind for this params field type: add one here and in the client");
}

template <class T> std::string paramType() {
  if constexpr (std::is_same_v<T, std::string>) return "string";
  else if constexpr (std::is_same_v<T, bool>) return "boolean";
  else if constexpr (std::is_same_v<T, RegistryView>) return "RegistryView";
  else if constexpr (std::is_same_v<T, RegValue>) return "RegValueInput";
  else return "RegValueInput | null";
}

struct Param {
  std::string name, kind, type, doc;
  bool option;
};

template <class Params> std::vector<Param> paramsOf() {
  std::vector<Param> out;
  std::apply(
      [&](const auto&... field) {
        [[maybe_unused]] auto add = [&](const auto& f) {
          using T = typename std::remove_cvref_t<decltype(f)>::MemberType;
          out.push_back({std::string(f.name), paramKind<T>(), paramType<T>(), docOf(f.name), isOption<T>});
        };
        (add(field), ...);
      },
      fieldsOf<Params>());
  return out;
}

// ---- results ---------------------------------------------------------------------------------------------------

std::set<std::string> emittedStructs;
std::ostringstream structs; // the interfaces of result structs, written before the operations

template <class T> std::string resultType();

template <Named T> void emitStruct() {
  std::string name(typeName(static_cast<const T*>(nullptr)));
  if (!emittedStructs.insert(name).second) return;
  std::ostringstream body;
  body << comment(typeDoc(static_cast<const T*>(nullptr)), "") << "export interface " << name << " {\n";
  std::apply(
      [&](const auto&... field) {
        [[maybe_unused]] auto add = [&](const auto& f) {
          using M = typename std::remove_cvref_t<decltype(f)>::MemberType;
          body << comment(docOf(f.name), "  ");
          if constexpr (IsOptional<M>::value)
            body << "  " << f.name << "?: " << resultType<typename M::value_type>() << ";\n";
          else body << "  " << f.name << ": " << resultType<M>() << ";\n";
        };
        (add(field), ...);
      },
      fieldsOf<T>());
  body << "}\n\n";
  structs << body.str();
}

template <class T> std::string resultType() {
  if constexpr (std::is_same_v<T, std::string>) return "string";
  else if constexpr (std::is_same_v<T, bool>) return "boolean";
  else if constexpr (std::is_same_v<T, std::uint32_t>) return "number";
  else if constexpr (std::is_same_v<T, Timestamp>) return "Date";
  else if constexpr (std::is_same_v<T, RegValue>) return "RegValue";
  else if constexpr (std::is_same_v<T, NamedValue>) return "NamedRegValue";
  else if constexpr (std::is_same_v<T, Empty>) return "void";
  else if constexpr (IsVector<T>::value) return resultType<typename T::value_type>() + "[]";
  else if constexpr (Named<T>) {
    emitStruct<T>();
    return std::string(typeName(static_cast<const T*>(nullptr)));
  } else static_assert(sizeof(T) == 0, "no TypeScript type for this result type: add one here (and a shape below)");
}

// How the pipe transport turns the wire's JSON into what the addon returns (client-ts/src/operationSpec.ts).
template <class T> std::string resultShape() {
  if constexpr (std::is_same_v<T, Empty>) return "'none'";
  else if constexpr (std::is_same_v<T, RegValue> || std::is_same_v<T, NamedValue>) return "'value'";
  else if constexpr (std::is_same_v<T, Timestamp>) return "'date'";
  else if constexpr (IsVector<T>::value) {
    std::string element = resultShape<typename T::value_type>();
    return element == "'plain'" ? element : "{ array: " + element + " }";
  } else if constexpr (Described<T>) {
    std::string members;
    std::apply(
        [&](const auto&... field) {
          [[maybe_unused]] auto add = [&](const auto& f) {
            using M = typename std::remove_cvref_t<decltype(f)>::MemberType;
            std::string shape;
            if constexpr (IsOptional<M>::value) shape = resultShape<typename M::value_type>();
            else shape = resultShape<M>();
            if (shape != "'plain'") members += (members.empty() ? "" : ", ") + std::string(f.name) + ": " + shape;
          };
          (add(field), ...);
        },
        fieldsOf<T>());
    return members.empty() ? "'plain'" : "{ object: { " + members + " } }";
  } else return "'plain'"; // strings, booleans, numbers: JSON and N-API agree
}

// ---- the file ----------------------------------------------------------------------------------------------------

struct Operation {
  std::string method, doc, result, shape;
  bool mutates;
  std::vector<Param> params;
};

template <class Op> Operation describeOperation() {
  return {std::string(Op::method),
          std::string(Op::doc),
          resultType<typename Op::Result>(),
          resultShape<typename Op::Result>(),
          Op::mutates,
          paramsOf<typename Op::Params>()};
}

std::string optionsName(const Operation& op) { return upperFirst(op.method) + "Options"; }
bool hasOptions(const Operation& op) {
  for (const Param& p : op.params)
    if (p.option) return true;
  return false;
}

// The arguments of the public method: the positional params in order, then the options object.
std::string publicArguments(const Operation& op) {
  std::string out;
  for (const Param& p : op.params)
    if (!p.option) out += (out.empty() ? "" : ", ") + p.name + ": " + p.type;
  if (hasOptions(op)) out += (out.empty() ? "" : ", ") + std::string("options?: ") + optionsName(op);
  return out;
}

void write(std::ostream& out, const std::vector<Operation>& operations) {
  out << "// Generated from registry/Operations.h by tools/ts-spec/GenerateTsSpec.cpp; `npm run build` writes it. Do "
         "not edit:\n// change the handler table instead.\n"
         "import type { OperationSpec } from '../operationSpec';\n"
         "import type { RegistryView } from '../types';\n"
         "import type { NamedRegValue, RegValue, RegValueInput } from '../values';\n\n";
  out << structs.str();

  for (const Operation& op : operations) {
    if (!hasOptions(op)) continue;
    out << comment("Options of " + op.method + ".", "") << "export interface " << optionsName(op) << " {\n";
    for (const Param& p : op.params)
      if (p.option) out << comment(p.doc, "  ") << "  " << p.name << "?: " << p.type << ";\n";
    out << "}\n\n";
  }

  out << comment("The operations as a Registry has them: positional arguments, then the options; a promise of the "
                 "result.",
                 "")
      << "export interface AsyncOperations {\n";
  for (const Operation& op : operations)
    out << comment(op.doc, "  ") << "  " << op.method << "(" << publicArguments(op) << "): Promise<" << op.result
        << ">;\n";
  out << "}\n\n";

  out << comment("The operations as a RegistrySync has them: the result itself.", "")
      << "export interface SyncOperations {\n";
  for (const Operation& op : operations)
    out << comment(op.doc, "  ") << "  " << op.method << "(" << publicArguments(op) << "): " << op.result << ";\n";
  out << "}\n\n";

  out << comment("What a transport runs: every param in the order of the C++ field list (a trailing view may be left "
                 "out), and the result.",
                 "")
      << "export interface Methods {\n";
  for (const Operation& op : operations) {
    out << "  " << op.method << ": { params: [";
    for (std::size_t i = 0; i < op.params.size(); ++i) {
      const Param& p = op.params[i];
      bool last = i + 1 == op.params.size();
      out << (i ? ", " : "") << p.name;
      if (p.kind == "view") out << (last ? "?: RegistryView" : ": RegistryView | undefined");
      else out << ": " << p.type;
    }
    out << "]; result: " << (op.result == "void" ? "undefined" : op.result) << " };\n";
  }
  out << "}\n\n";

  out << comment("Each operation's params (name and kind, in order), result shape and whether it writes.", "")
      << "export const operationSpecs = {\n";
  for (const Operation& op : operations) {
    out << "  " << op.method << ": {\n    params: [";
    for (std::size_t i = 0; i < op.params.size(); ++i)
      out << (i ? ", " : "") << "{ name: '" << op.params[i].name << "', kind: '" << op.params[i].kind << "' }";
    out << "],\n    result: " << op.shape << ",\n    mutates: " << (op.mutates ? "true" : "false") << ",\n  },\n";
  }
  out << "} as const satisfies Record<string, OperationSpec>;\n\n"
      << comment("The name of an operation.", "") << "export type Method = keyof Methods;\n";
}

} // namespace
} // namespace regbridge::tsspec

// With a path argument the file is written there, else to standard output.
int main(int argc, char** argv) {
  using namespace regbridge::tsspec;
  std::vector<Operation> operations;
  std::apply([&](auto... op) { (operations.push_back(describeOperation<decltype(op)>()), ...); },
             regbridge::Operations{});
  for (const Operation& op : operations)
    if (op.doc.empty()) problems.push_back("operation '" + op.method + "' has an empty doc");
  if (!problems.empty()) {
    for (const std::string& problem : problems) std::cerr << "ts-spec: " << problem << "\n";
    return 1;
  }
  if (argc < 2) {
    write(std::cout, operations);
    return std::cout.good() ? 0 : 1;
  }
  std::ofstream file(argv[1], std::ios::binary | std::ios::trunc);
  write(file, operations);
  file.close();
  if (file) return 0;
  std::cerr << "ts-spec: cannot write " << argv[1] << "\n";
  return 1;
}
