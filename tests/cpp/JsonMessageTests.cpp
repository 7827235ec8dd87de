// Classifying one message body: requests, notifications, and every way an envelope can be wrong.
#include <gtest/gtest.h>

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
                           std::string("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xC0\xAF\"}"),     // overlong
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
