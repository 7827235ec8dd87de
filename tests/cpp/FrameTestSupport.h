// Reading the server's answers in tests: the JSON body of one framed response.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

#include "protocol/FrameReader.h"

namespace regbridge::test {

// The JSON of one framed response; the test fails (and the parse throws) if `frame` is not exactly one frame.
inline nlohmann::ordered_json frameBody(const std::string& frame) {
  protocol::FrameReader reader;
  reader.feed(frame);
  std::string text;
  EXPECT_EQ(reader.next(text), protocol::FrameStatus::Message) << frame;
  return nlohmann::ordered_json::parse(text);
}

} // namespace regbridge::test
