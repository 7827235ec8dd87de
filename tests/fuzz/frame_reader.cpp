// libFuzzer target: arbitrary bytes, split into arbitrary chunks, through protocol::FrameReader. Properties:
//   - no crash, no sanitizer report, whatever the bytes and the splits;
//   - the messages and the outcome do not depend on how the bytes were split (all at once is the reference);
//   - after Error the reader stays in Error and says why; no body is longer than the limit;
//   - every body handed out, framed again with frameMessage, reads back as itself.
// Input layout: byte 0 picks the body limit, byte 1 seeds the chunk sizes, the rest is the stream.
// By hand: clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. \
//            tests/fuzz/frame_reader.cpp protocol/FrameReader.cpp -o build/fuzz-frame_reader
//          build/fuzz-frame_reader -max_total_time=60 -max_len=20000 CORPUS_COPY tests/fuzz/corpus/frame_reader
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/FrameReader.h"

using regbridge::protocol::FrameReader;
using regbridge::protocol::FrameStatus;

namespace {

struct Outcome {
  std::vector<std::string> bodies;
  bool failed = false;
};

void check(bool condition) {
  if (!condition) std::abort();
}

// Takes every message available now; returns false once the reader has failed.
bool drain(FrameReader& reader, Outcome& out) {
  std::string body;
  for (;;) {
    FrameStatus status = reader.next(body);
    if (status == FrameStatus::NeedMore) return true;
    if (status == FrameStatus::Error) {
      check(!reader.error().empty());
      check(reader.next(body) == FrameStatus::Error); // sticky
      out.failed = true;
      return false;
    }
    check(body.size() <= reader.maxBodyBytes());
    out.bodies.push_back(body);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t limits[] = {0, 1, 16, 256, 4096, regbridge::protocol::kDefaultMaxFrameBytes};
  std::size_t limit = limits[data[0] % (sizeof limits / sizeof limits[0])];
  unsigned seed = data[1];
  std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  Outcome whole;
  {
    FrameReader reader(limit);
    reader.feed(stream);
    drain(reader, whole);
  }

  Outcome chunked;
  {
    FrameReader reader(limit);
    std::size_t at = 0;
    unsigned state = seed * 2654435761u + 1;
    while (at < stream.size()) {
      state = state * 1103515245u + 12345u;
      std::size_t n = 1 + (state >> 16) % 17; // 1..17 bytes, so boundaries land everywhere
      if ((state >> 8) % 5 == 0) n = 1 + (state >> 4) % 4096;
      n = std::min(n, stream.size() - at);
      reader.feed(stream.substr(at, n));
      at += n;
      if (!drain(reader, chunked)) break;
    }
    // Feeding after a failure changes nothing.
    if (chunked.failed) {
      reader.feed("Content-Length: 2\r\n\r\n{}");
      std::string body;
      check(reader.next(body) == FrameStatus::Error);
    }
  }

  check(whole.failed == chunked.failed);
  check(whole.bodies == chunked.bodies);

  for (const auto& body : whole.bodies) {
    FrameReader again(limit);
    again.feed(regbridge::protocol::frameMessage(body));
    std::string out;
    check(again.next(out) == FrameStatus::Message);
    check(out == body);
    check(!again.midMessage());
  }
  return 0;
}
