// The dispatcher over the real handler table with a fake backend: every method reachable by name, params decoded
// from JSON, results encoded, errors carrying the method and JSON path; and PROTOCOL.md documenting every method.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "protocol/Dispatcher.h"
#include "tests/cpp/DispatchFakeBackend.h"

using namespace regbridge;
using namespace regbridge::protocol;
using json = nlohmann::ordered_json;

namespace {

json call(Backend& backend, std::string_view method, const json& params) {
  const OperationEntry* entry = Dispatcher::find(method);
  if (!entry) throw std::runtime_error("no such method " + std::string(method));
  return entry->call(backend, params);
}

RpcError rpcErrorOf(Backend& backend, std::string_view method, const json& params) {
  try {
    call(backend, method, params);
  } catch (const RpcError& e) {
    return e;
  } catch (const RegistryError& e) {
    return toRpcError(e);
  }
  return RpcError(0, "(no error)");
}

} // namespace

TEST(DispatchTest, TableHasEveryOperationOnce) {
  std::vector<std::string> methods;
  for (const auto& entry : Dispatcher::operations()) methods.emplace_back(entry.method);
  EXPECT_EQ(methods, (std::vector<std::string>{"readStringValue", "readValue", "listValues", "listSubkeys", "keyExists",
                                               "getKeyInfo", "writeValue", "compareAndSetValue", "deleteValue",
                                               "createKey", "deleteKey", "flush", "exportKey", "importRegFile"}));
  EXPECT_EQ(Dispatcher::find("nope"), nullptr);
  EXPECT_TRUE(Dispatcher::find("writeValue")->mutates);
  EXPECT_FALSE(Dispatcher::find("readValue")->mutates);
}

TEST(DispatchTest, EveryOperationOverTheFakeBackend) {
  test::DispatchFakeBackend backend;
  EXPECT_EQ(call(backend, "keyExists", {{"key", "HKCU\\Software\\A"}}), false);
  EXPECT_EQ(call(backend, "createKey", {{"key", "HKCU\\Software\\A\\Sub"}}), nullptr);
  EXPECT_EQ(call(backend, "writeValue",
                 {{"key", "HKCU\\Software\\A"}, {"name", "S"}, {"value", {{"type", "REG_SZ"}, {"data", "héllo"}}}}),
            nullptr);
  call(backend, "writeValue",
       {{"key", "HKCU\\Software\\A"},
        {"name", "Q"},
        {"value", {{"type", "REG_QWORD"}, {"data", "18446744073709551615"}}}});
  call(backend, "writeValue",
       {{"key", "HKCU\\Software\\A"}, {"name", "B"}, {"value", {{"type", 4660}, {"data", {{"base64", "AQI="}}}}}});
  EXPECT_EQ(call(backend, "keyExists", {{"key", "hkcu\\software\\a"}}), true);
  EXPECT_EQ(call(backend, "readStringValue", {{"key", "HKCU\\Software\\A"}, {"name", "s"}}), "héllo");
  EXPECT_EQ(call(backend, "readValue", {{"key", "HKCU\\Software\\A"}, {"name", "Q"}}),
            (json{{"type", "REG_QWORD"}, {"data", "18446744073709551615"}}));
  EXPECT_EQ(call(backend, "readValue", {{"key", "HKCU\\Software\\A"}, {"name", "Q"}, {"raw", true}}),
            (json{{"type", "REG_QWORD"}, {"data", {{"base64", "//////////8="}}}}));
  EXPECT_EQ(call(backend, "readValue", {{"key", "HKCU\\Software\\A"}, {"name", "B"}}),
            (json{{"type", 4660}, {"data", {{"base64", "AQI="}}}}));
  json listed = call(backend, "listValues", {{"key", "HKCU\\Software\\A"}});
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0], (json{{"name", "B"}, {"type", 4660}, {"data", {{"base64", "AQI="}}}}));
  EXPECT_EQ(call(backend, "listSubkeys", {{"key", "HKCU\\Software\\A"}}), json::array({"Sub"}));
  EXPECT_EQ(call(backend, "getKeyInfo", {{"key", "HKCU\\Software\\A"}}),
            (json{{"subkeyCount", 1}, {"valueCount", 3}, {"lastWriteTime", "2026-11-25T06:05:50.123Z"}}));
  EXPECT_EQ(call(backend, "deleteValue", {{"key", "HKCU\\Software\\A"}, {"name", "S"}}), nullptr);
  EXPECT_EQ(call(backend, "deleteKey", {{"key", "HKCU\\Software\\A"}, {"recursive", true}}), nullptr);
  EXPECT_EQ(call(backend, "flush", nullptr), nullptr);
  EXPECT_EQ(call(backend, "flush", json::object()), nullptr);
  EXPECT_EQ(backend.flushes, 2);
  EXPECT_EQ(call(backend, "keyExists", {{"key", "HKCU\\Software\\A"}}), false);
}

TEST(DispatchTest, ParamErrorsNameMethodAndPath) {
  test::DispatchFakeBackend backend;
  RpcError e = rpcErrorOf(backend, "writeValue",
                          {{"key", "HKCU\\A"}, {"name", "n"}, {"value", {{"type", "REG_SZ"}, {"data", 1.5}}}});
  EXPECT_EQ(e.code(), rpc::InvalidParams);
  EXPECT_STREQ(e.what(), "writeValue: params.value.data: expected an integer, got 1.5");
  EXPECT_EQ(e.data(), (json{{"code", "ERR_INVALID_ARGUMENT"}}));

  e = rpcErrorOf(backend, "readValue", {{"key", "HKCU\\A"}});
  EXPECT_STREQ(e.what(), "readValue: params.name: missing");
  e = rpcErrorOf(backend, "keyExists", {{"key", "HKCU\\A"}, {"raw", true}});
  EXPECT_STREQ(e.what(), "keyExists: params.raw: unknown parameter");
  e = rpcErrorOf(backend, "keyExists", json::array({"HKCU\\A"}));
  EXPECT_EQ(e.code(), rpc::InvalidParams);
  EXPECT_NE(std::string(e.what()).find("must be an object"), std::string::npos);
  e = rpcErrorOf(backend, "flush", {{"now", true}});
  EXPECT_STREQ(e.what(), "flush: params.now: unknown parameter");
}

TEST(DispatchTest, RegistryErrorsMapToCodes) {
  test::DispatchFakeBackend backend;
  RpcError e = rpcErrorOf(backend, "readValue", {{"key", "HKCU\\Missing"}, {"name", "n"}});
  EXPECT_EQ(e.code(), rpc::RegistryFailure);
  EXPECT_EQ(e.data(), (json{{"code", "ERR_KEY_NOT_FOUND"}, {"key", "HKCU\\Missing"}}));

  call(backend, "createKey", {{"key", "HKCU\\K"}});
  e = rpcErrorOf(backend, "readValue", {{"key", "HKCU\\K"}, {"name", "v"}});
  EXPECT_EQ(e.data(), (json{{"code", "ERR_VALUE_NOT_FOUND"}, {"key", "HKCU\\K"}, {"valueName", "v"}}));

  // A bad path and a bad argument are the caller's fault: -32602, with the registry code in data.
  e = rpcErrorOf(backend, "keyExists", {{"key", "NOPE\\K"}});
  EXPECT_EQ(e.code(), rpc::InvalidParams);
  EXPECT_EQ(e.data()["code"], "ERR_INVALID_PATH");
  e = rpcErrorOf(backend, "writeValue",
                 {{"key", "HKCU\\K"}, {"name", "n"}, {"value", {{"type", "REG_DWORD"}, {"data", "text"}}}});
  EXPECT_EQ(e.code(), rpc::InvalidParams);
  EXPECT_EQ(e.data()["code"], "ERR_INVALID_ARGUMENT");

  call(backend, "createKey", {{"key", "HKCU\\K\\Sub"}});
  e = rpcErrorOf(backend, "deleteKey", {{"key", "HKCU\\K"}});
  EXPECT_EQ(e.code(), rpc::RegistryFailure);
  EXPECT_EQ(e.data()["code"], "ERR_KEY_HAS_SUBKEYS");
}

// The dispatcher is generic over the tuple: a table of one made-up operation needs no other code.
struct Twice {
  static constexpr std::string_view method = "twice";
  static constexpr bool mutates = false;
  using Params = KeyParams;
  using Result = std::vector<std::string>;
  static Result run(Backend&, const Params& p) { return {p.key, p.key}; }
};

TEST(DispatchTest, WorksForAnyTableNotOnlyTheRealOne) {
  using Table = BasicDispatcher<std::tuple<Twice>>;
  test::DispatchFakeBackend backend;
  ASSERT_NE(Table::find("twice"), nullptr);
  EXPECT_EQ(Table::find("twice")->call(backend, {{"key", "x"}}), json::array({"x", "x"}));
}

TEST(DispatchTest, ProtocolDocumentCoversEveryMethodAndParameter) {
  std::ifstream file(REGBRIDGE_PROTOCOL_SPEC);
  ASSERT_TRUE(file) << REGBRIDGE_PROTOCOL_SPEC;
  std::stringstream text;
  text << file.rdbuf();
  std::string spec = text.str();
  // Each method has a "### `name`" section that mentions each of its params' field names.
  std::apply(
      [&](auto... ops) {
        auto check = [&](auto op) {
          using Op = decltype(op);
          std::string heading = "### `" + std::string(Op::method) + "`";
          std::size_t at = spec.find(heading);
          ASSERT_NE(at, std::string::npos) << "PROTOCOL.md has no section " << heading;
          std::size_t end = spec.find("\n### ", at + heading.size());
          std::string section = spec.substr(at, end == std::string::npos ? std::string::npos : end - at);
          std::apply(
              [&](auto... fields) {
                [[maybe_unused]] auto mentions = [&](auto field) {
                  EXPECT_NE(section.find("`" + std::string(field.name) + "`"), std::string::npos)
                      << heading << " does not mention `" << field.name << "`";
                };
                (mentions(fields), ...);
              },
              fieldsOf<typename Op::Params>());
        };
        (check(ops), ...);
      },
      Operations{});
}
