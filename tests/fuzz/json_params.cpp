// libFuzzer target: arbitrary bytes as one message body, through exactly what the server does with a body
// (server::Session::accept, then Session::run on the job), against the in-memory backend of the dispatch tests and
// against --echo. Every request must get one well-formed JSON-RPC response (a result or an error), notifications
// none, and nothing may crash or trip a sanitizer: numbers out of range, deep nesting, bad UTF-8, lone surrogates,
// wrong types anywhere in params.
// By hand (the store on disk, registry/hive/ and BackendFactory.cpp, is not needed):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
//   -DREGBRIDGE_VERSION='"fuzz"' \
//     -I. tests/fuzz/json_params.cpp protocol/*.cpp server/Session.cpp server/Handler.cpp registry/Error.cpp \
//     registry/KeyPath.cpp registry/Unicode.cpp registry/Value.cpp registry/ValueCodec.cpp registry/Backend.cpp \
//     registry/operations/*.cpp -o build/fuzz-json_params
//   build/fuzz-json_params -max_total_time=60 -max_len=4096 -dict=tests/fuzz/json_params.dict CORPUS_COPY \
//     tests/fuzz/corpus/json_params
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "protocol/FrameReader.h"
#include "protocol/JsonWtf8.h"
#include "server/Handler.h"
#include "server/Session.h"
#include "tests/cpp/DispatchFakeBackend.h"

using namespace regbridge;
using json = nlohmann::ordered_json;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

// A framed response: one frame, a JSON object with "jsonrpc":"2.0", an id, and exactly one of result and error.
void checkResponse(const std::string& frame) {
  protocol::FrameReader reader;
  reader.feed(frame);
  std::string body;
  check(reader.next(body) == protocol::FrameStatus::Message);
  check(!reader.midMessage());
  // Throws (and so fails the run) on anything but valid JSON; lone surrogate escapes are valid here, since names and
  // string data may hold them (protocol/JsonWtf8.h).
  json message = protocol::parseJsonWtf8(body);
  check(message.is_object());
  check(message.value("jsonrpc", "") == "2.0");
  check(message.contains("id"));
  check(message.contains("result") != message.contains("error"));
  if (message.contains("error")) {
    const json& error = message["error"];
    check(error["code"].is_number_integer());
    check(error["message"].is_string());
  }
}

void runThrough(const server::Handler& handler, std::string_view body) {
  const server::ServerInfo info{"fake", "/fake/prefix", "0.0.0", 1, 1 << 20};
  server::Session session(handler, info);
  server::Session::Step step = session.accept(body);
  if (!step.reply.empty()) checkResponse(step.reply);
  if (step.job) {
    check(step.reply.empty());
    std::string response = session.run(*step.job);
    session.finished(*step.job);
    if (step.job->notification) check(response.empty());
    else checkResponse(response);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  test::DispatchFakeBackend backend; // fresh each run, so that runs do not pile keys up in memory
  const server::TableHandler table(backend);
  const server::EchoHandler echo;
  runThrough(table, body);
  runThrough(echo, body);
  return 0;
}
