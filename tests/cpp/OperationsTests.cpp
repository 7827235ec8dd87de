// The operations of the handler table over a fake backend: argument checks and typed decoding happen above the
// backend, the same for every backend.
#include <gtest/gtest.h>

#include <map>

#include "registry/Error.h"
#include "registry/Operations.h"

using namespace regbridge;

namespace {

class FakeBackend : public Backend {
public:
  std::map<std::string, RawValue> values; // "name" -> value, all in one key
  std::vector<std::string> calls;

  std::string_view kind() const override { return "fake"; }
  std::string location() const override { return {}; }
  RawValue readValue(const KeyPath& path, std::string_view name, OpenOptions) override {
    calls.push_back("readValue " + path.toString());
    auto it = values.find(std::string(name));
    if (it == values.end())
      throw RegistryError(ErrorCode::ValueNotFound, "no value", std::string(path.original), std::string(name));
    return it->second;
  }
  std::vector<NamedRawValue> listValues(const KeyPath&, OpenOptions) override {
    std::vector<NamedRawValue> out;
    for (auto& [name, v] : values) out.push_back({name, v.type, v.data});
    return out;
  }
  std::vector<std::string> listSubkeys(const KeyPath&, OpenOptions) override { return {"a", "B"}; }
  bool keyExists(const KeyPath&) override { return true; }
  RawKeyInfo getKeyInfo(const KeyPath&, OpenOptions) override { return {2, 1, kFileTimeUnixEpoch, "cls", {}}; }
  void writeValue(const KeyPath& path, std::string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) override {
    calls.push_back("writeValue " + path.toString());
    values[std::string(name)] = {type, {data.begin(), data.end()}};
  }
  void compareAndSetValue(const KeyPath& path, std::string_view name, const ExpectedValue& expected,
                          std::uint32_t type, std::span<const std::uint8_t> data) override {
    calls.push_back("compareAndSetValue " + path.toString());
    auto it = values.find(std::string(name));
    bool exists = it != values.end();
    if (expected.matches ? !exists || !expected.matches(it->second.type, it->second.data) : exists)
      throwValueChanged(path, name, expected, exists);
    values[std::string(name)] = {type, {data.begin(), data.end()}};
  }
  void deleteValue(const KeyPath&, std::string_view name) override { values.erase(std::string(name)); }
  void createKey(const KeyPath& path) override { calls.push_back("createKey " + path.toString()); }
  void deleteKey(const KeyPath& path, bool recursive) override {
    calls.push_back("deleteKey " + path.toString() + (recursive ? " recursive" : ""));
  }
  void flush() override { calls.push_back("flush"); }
};

template <class Op> ErrorCode errorOf(Backend& backend, const typename Op::Params& params) {
  try {
    Op::run(backend, params);
  } catch (const RegistryError& e) {
    return e.code();
  }
  return ErrorCode::Internal;
}

} // namespace

TEST(OperationsTest, ReadStringValueDecodesStringsAndRefusesOtherTypes) {
  FakeBackend backend;
  WriteValue::run(backend, {"HKCU\\k", "s", {{REG_SZ}, std::string("héllo")}});
  WriteValue::run(backend, {"HKCU\\k", "d", {{REG_DWORD}, std::int64_t{7}}});
  EXPECT_EQ(ReadStringValue::run(backend, {"HKCU\\k", "s"}), "héllo");
  EXPECT_EQ(errorOf<ReadStringValue>(backend, {"HKCU\\k", "d"}), ErrorCode::WrongType);
  EXPECT_EQ(errorOf<ReadStringValue>(backend, {"HKCU\\k", "missing"}), ErrorCode::ValueNotFound);
  EXPECT_EQ(errorOf<ReadStringValue>(backend, {"BAD\\k", "s"}), ErrorCode::InvalidPath);
}

TEST(OperationsTest, ReadValueDecodesUnlessRaw) {
  FakeBackend backend;
  WriteValue::run(backend, {"HKCU\\k", "d", {{REG_DWORD}, std::int64_t{7}}});
  RegValue typed = ReadValue::run(backend, {"HKCU\\k", "d", false, false});
  EXPECT_EQ(typed, (RegValue{{REG_DWORD}, std::int64_t{7}}));
  RegValue raw = ReadValue::run(backend, {"HKCU\\k", "d", true, false});
  EXPECT_EQ(raw, (RegValue{{REG_DWORD}, Bytes{{7, 0, 0, 0}}}));
  auto listed = ListValues::run(backend, {"HKCU\\k", false, false});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], (NamedValue{"d", {REG_DWORD}, std::int64_t{7}}));
}

TEST(OperationsTest, BadDataNeverReachesTheBackend) {
  FakeBackend backend;
  EXPECT_EQ(errorOf<WriteValue>(backend, {"HKCU\\k", "d", {{REG_DWORD}, std::string("x")}}),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(errorOf<WriteValue>(backend, {"HKCU\\k", std::string(16384, 'n'), {{REG_SZ}, std::string("x")}}),
            ErrorCode::InvalidArgument);
  EXPECT_TRUE(backend.calls.empty());
}

TEST(OperationsTest, HiveRootsCannotBeCreatedOrDeleted) {
  FakeBackend backend;
  EXPECT_EQ(errorOf<CreateKey>(backend, {"HKLM"}), ErrorCode::InvalidPath);
  EXPECT_EQ(errorOf<DeleteKey>(backend, {"HKCU\\", true}), ErrorCode::AccessDenied);
  DeleteKey::run(backend, {"HKCU\\a", true});
  Flush::run(backend, {});
  EXPECT_EQ(backend.calls, (std::vector<std::string>{"deleteKey HKEY_CURRENT_USER\\a recursive", "flush"}));
}

TEST(OperationsTest, KeyInfoCarriesTheTimestampAndClass) {
  FakeBackend backend;
  KeyInfo info = GetKeyInfo::run(backend, {"HKCU\\k", false});
  EXPECT_EQ(info.subkeyCount, 2u);
  EXPECT_EQ(info.lastWriteTime.fileTime, kFileTimeUnixEpoch);
  EXPECT_EQ(info.className, std::optional<std::string>("cls"));
  EXPECT_FALSE(info.linkTarget.has_value());
}

TEST(OperationsTest, TheTableNamesEveryOperationOnce) {
  std::vector<std::string_view> names;
  std::apply([&](auto... op) { (names.push_back(decltype(op)::method), ...); }, Operations{});
  EXPECT_EQ(names,
            (std::vector<std::string_view>{"readStringValue", "readValue", "listValues", "listSubkeys", "keyExists",
                                           "getKeyInfo", "writeValue", "compareAndSetValue", "deleteValue", "createKey",
                                           "deleteKey", "flush", "exportKey", "importRegFile"}));
}
