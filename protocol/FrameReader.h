// LSP base-protocol framing (`Content-Length: N\r\n\r\n` + N bytes), apart from any I/O: bytes go in, split any
// way, and complete message bodies or one framing error come out. See PROTOCOL.md "Framing".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regbridge::protocol {

inline constexpr std::size_t kDefaultMaxFrameBytes = 64u * 1024 * 1024;
// A header section longer than this without its blank line is an error: without a cap a peer sending endless header
// bytes would grow the buffer forever (clangd and vscode-jsonrpc cap it too).
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;

enum class FrameStatus {
  NeedMore, // no complete message yet: feed more bytes
  Message,  // `body` holds the next message body
  Error,    // the stream is unusable from here on; error() says why, tooLarge() whether it was the size limit
};

class FrameReader {
public:
  explicit FrameReader(std::size_t maxBodyBytes = kDefaultMaxFrameBytes);

  // Appends bytes read from the peer.
  void feed(std::string_view bytes);
  // Takes the next message out of what was fed. Call until it returns NeedMore. After Error, keeps returning Error.
  FrameStatus next(std::string& body);

  const std::string& error() const { return error_; }
  bool tooLarge() const { return tooLarge_; }
  // True when bytes of an unfinished message are buffered (EOF now would truncate a message).
  bool midMessage() const { return buffer_.size() > consumed_; }
  std::size_t maxBodyBytes() const { return maxBodyBytes_; }

private:
  FrameStatus fail(std::string message, bool tooLarge = false);
  FrameStatus parseHeaders(std::string_view headers);

  std::size_t maxBodyBytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;   // bytes of buffer_ already handed out
  std::size_t scanFrom_ = 0;   // where to resume looking for the blank line, so byte-by-byte feeding stays linear
  std::size_t bodyLength_ = 0; // valid while inBody_
  bool inBody_ = false;
  bool failed_ = false;
  bool tooLarge_ = false;
  std::string error_;
};

// The frame for one message body.
std::string frameMessage(std::string_view body);

} // namespace regbridge::protocol
