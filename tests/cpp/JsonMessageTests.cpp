// Classifying one message body: requests, notifications, and every way an envelope can be wrong.
#include <gtest/gtest.h>

#include "protocol/JsonScan.h"
#include "protocol/Message.h"

using namespace regbridge::protocol;
using Kind = Incoming::Kind;

namespace {
int errorCode(const Incoming& in) { return in.error ? in.error->code() : 0; }
} // namespace

TEST(JsonMessageTest, Request) {
  Incoming in = parseMessage(R"({"jsonrpc":"2.0","id":7,"method":"keyExists","params":{"key":"HKCU"}})");
  ASSERT_EQ(in.kind, Kind::Request);
  EXPECT_EQ(in.id, 7);
  EXPECT_EQ(in.method, "keyExists");
  EXPECT_EQ(in.params["key"], "HKCU");
}

TEST(JsonMessageTest, StringIdAndNoParams) {
  Incoming in = parseMessage(R"({"jsonrpc":"2.0","id":"a-1","method":"flush"})");
  ASSERT_EQ(in.kind, Kind::Request);
  EXPECT_EQ(in.id, "a-1");
  EXPECT_TRUE(in.params.is_null());
}

TEST(JsonMessageTest, MissingIdIsANotification) {
  Incoming in = parseMessage(R"({"jsonrpc":"2.0","method":"exit"})");
  EXPECT_EQ(in.kind, Kind::Notification);
  EXPECT_EQ(in.method, "exit");
}

TEST(JsonMessageTest, ResponseFromPeerIsRecognised) {
  EXPECT_EQ(parseMessage(R"({"jsonrpc":"2.0","id":1,"result":null})").kind, Kind::Response);
}

TEST(JsonMessageTest, UnparsableJsonIsParseError) {
  Incoming in = parseMessage("{\"jsonrpc\":");
  EXPECT_EQ(in.kind, Kind::Invalid);
  EXPECT_EQ(errorCode(in), rpc::ParseError);
  EXPECT_TRUE(in.id.is_null());
  EXPECT_EQ(std::string(in.error->what()).find("[json.exception"), std::string::npos) << in.error->what();
}

TEST(JsonMessageTest, BadUtf8IsParseError) {
  for (std::string body : {std::string("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\xff\"}"),
                           std::string("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xC0\xAF\"}"),        // overlong
                           std::string("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xED\xA0\x80\"}")}) { // surrogate
    Incoming in = parseMessage(body);
    EXPECT_EQ(errorCode(in), rpc::ParseError) << body;
  }
}

TEST(JsonMessageTest, EmptyBodyIsParseError) { EXPECT_EQ(errorCode(parseMessage("")), rpc::ParseError); }

TEST(JsonMessageTest, BatchIsNotSupported) {
  for (const char* body : {R"([{"jsonrpc":"2.0","id":1,"method":"flush"}])", "[]"}) {
    Incoming in = parseMessage(body);
    EXPECT_EQ(errorCode(in), rpc::InvalidRequest);
    EXPECT_NE(std::string(in.error->what()).find("batch"), std::string::npos);
  }
}

TEST(JsonMessageTest, NonObjectIsInvalidRequest) {
  for (const char* body : {"1", "\"x\"", "null", "true"}) EXPECT_EQ(errorCode(parseMessage(body)), rpc::InvalidRequest);
}

TEST(JsonMessageTest, EnvelopeErrorsKeepTheIdWhenReadable) {
  Incoming noVersion = parseMessage(R"({"id":3,"method":"flush"})");
  EXPECT_EQ(errorCode(noVersion), rpc::InvalidRequest);
  EXPECT_EQ(noVersion.id, 3);
  EXPECT_EQ(errorCode(parseMessage(R"({"jsonrpc":"1.0","id":3,"method":"flush"})")), rpc::InvalidRequest);
  Incoming noMethod = parseMessage(R"({"jsonrpc":"2.0","id":4})");
  EXPECT_EQ(errorCode(noMethod), rpc::InvalidRequest);
  EXPECT_EQ(noMethod.id, 4);
  EXPECT_EQ(errorCode(parseMessage(R"({"jsonrpc":"2.0","id":5,"method":5})")), rpc::InvalidRequest);
  EXPECT_EQ(errorCode(parseMessage(R"({"jsonrpc":"2.0","id":6,"method":"a","params":3})")), rpc::InvalidRequest);
}

TEST(JsonMessageTest, BadIdTypesAreInvalidRequestWithNullId) {
  for (const char* body :
       {R"({"jsonrpc":"2.0","id":{},"method":"a"})", R"({"jsonrpc":"2.0","id":1.5,"method":"a"})",
        R"({"jsonrpc":"2.0","id":null,"method":"a"})", R"({"jsonrpc":"2.0","id":true,"method":"a"})"}) {
    Incoming in = parseMessage(body);
    EXPECT_EQ(errorCode(in), rpc::InvalidRequest) << body;
    EXPECT_TRUE(in.id.is_null()) << body;
  }
}

TEST(JsonMessageTest, ResponsesAreWrittenWithJsonrpcFirst) {
  EXPECT_EQ(resultMessage(1, {{"a", 1}}), R"({"jsonrpc":"2.0","id":1,"result":{"a":1}})");
  EXPECT_EQ(resultMessage("x", nullptr), R"({"jsonrpc":"2.0","id":"x","result":null})");
  EXPECT_EQ(errorMessage(nullptr, RpcError(rpc::MethodNotFound, "Method not found: x")),
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"Method not found: x"}})");
  EXPECT_EQ(errorMessage(2, RpcError(rpc::RegistryFailure, "m", {{"code", "ERR_IO"}})),
            R"({"jsonrpc":"2.0","id":2,"error":{"code":-32000,"message":"m","data":{"code":"ERR_IO"}}})");
}

TEST(JsonMessageTest, NumberBeyondADoubleInParamsIsInvalidParamsWithTheId) {
  for (std::string number : {std::string("1e400"), std::string("-1e400"), std::string(400, '9')}) {
    Incoming in = parseMessage(R"({"jsonrpc":"2.0","id":5,"method":"readValue","params":{"key":"HKCU","name":[)" +
                               number + "]}}");
    ASSERT_EQ(in.kind, Kind::Invalid) << number;
    EXPECT_EQ(in.id, 5);
    EXPECT_EQ(errorCode(in), rpc::InvalidParams);
    EXPECT_NE(std::string(in.error->what()).find("readValue: params hold the number"), std::string::npos)
        << in.error->what();
    EXPECT_EQ(in.error->data()["code"], "ERR_INVALID_ARGUMENT");
  }
}

TEST(JsonMessageTest, NumberBeyondADoubleElsewhere) {
  // In a member nobody reads: harmless, and the request is read as if the member held 0.
  Incoming ignored = parseMessage(R"({"x":{"y":-1e400},"jsonrpc":"2.0","id":1,"method":"flush"})");
  EXPECT_EQ(ignored.kind, Kind::Request);
  // As the id: there is no id to answer to.
  Incoming id = parseMessage(R"({"jsonrpc":"2.0","id":1e400,"method":"flush"})");
  EXPECT_EQ(id.kind, Kind::Invalid);
  EXPECT_TRUE(id.id.is_null());
  EXPECT_EQ(errorCode(id), rpc::InvalidRequest);
  // In a notification's params: dropped, never run with a stand-in value.
  EXPECT_EQ(parseMessage(R"({"jsonrpc":"2.0","method":"createKey","params":{"key":1e999}})").kind, Kind::Unusable);
  // An escaped member name is still the member it names.
  EXPECT_EQ(errorCode(parseMessage(R"({"jsonrpc":"2.0","id":1,"method":"m","p\u0061rams":{"a":1e400}})")),
            rpc::InvalidParams);
  // Small enough after all (underflow to 0 is not an overflow), or broken JSON besides: the usual answers.
  EXPECT_EQ(parseMessage(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"a":1e-400}})").kind, Kind::Request);
  EXPECT_EQ(errorCode(parseMessage(R"({"jsonrpc":"2.0","id":1,"params":{"a":1e400},)")), rpc::ParseError);
}

TEST(JsonMessageTest, NestingIsCapped) {
  auto nested = [](std::size_t depth) {
    // The message object is one level; params and its arrays the rest.
    return R"({"jsonrpc":"2.0","id":1,"method":"m","params":)" + std::string(depth - 1, '[') +
           std::string(depth - 1, ']') + "}";
  };
  EXPECT_EQ(parseMessage(nested(kMaxJsonDepth)).kind, Kind::Request);
  Incoming deep = parseMessage(nested(kMaxJsonDepth + 1));
  EXPECT_EQ(errorCode(deep), rpc::ParseError);
  EXPECT_NE(std::string(deep.error->what()).find("nest deeper than"), std::string::npos);
  // Escaped quotes and runs of backslashes do not end a string early, nor late.
  std::string brackets(200, '[');
  EXPECT_EQ(parseMessage(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"s":"a\")" + brackets + R"(\\\"x"}})").kind,
            Kind::Request);
  EXPECT_EQ(parseMessage(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"s":"a\\","u":")" + brackets + "\"}}").kind,
            Kind::Request);
  // Brackets inside strings are text, not nesting.
  EXPECT_EQ(
      parseMessage(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"s":")" + std::string(1000, '[') + "\"}}").kind,
      Kind::Request);
}
