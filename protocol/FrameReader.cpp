#include "protocol/FrameReader.h"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace regbridge::protocol {

namespace {

constexpr std::size_t kKeptBufferBytes = 1024 * 1024;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Header text quoted for an error message, cut short: it came from the peer and may be anything.
std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 60)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 60) out += "...";
  return out + "'";
}

} // namespace

FrameReader::FrameReader(std::size_t maxBodyBytes) : maxBodyBytes_(maxBodyBytes) {}

void FrameReader::feed(std::string_view bytes) {
  if (failed_) return;
  // Drop what was handed out before growing, so a long-lived connection's buffer stays the size of one frame.
  if (consumed_ > 0 && (consumed_ == buffer_.size() || consumed_ >= 64 * 1024)) {
    buffer_.erase(0, consumed_);
    scanFrom_ -= std::min(scanFrom_, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

FrameStatus FrameReader::fail(std::string message, bool tooLarge) {
  failed_ = true;
  tooLarge_ = tooLarge;
  error_ = std::move(message);
  buffer_.clear();
  consumed_ = scanFrom_ = 0;
  return FrameStatus::Error;
}

FrameStatus FrameReader::parseHeaders(std::string_view headers) {
  // `headers` is every header line, each ending in \r\n, without the blank line.
  bool haveLength = false;
  std::size_t length = 0;
  while (!headers.empty()) {
    std::size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers.remove_prefix(eol + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return fail("malformed header line " + quoted(line) + " (expected 'Name: value')");
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    // Content-Type is accepted and ignored (the body is always UTF-8 JSON), as are headers we do not know, so that
    // a client may add its own.
    if (!equalsIgnoreCase(name, "Content-Length")) continue;
    if (haveLength) return fail("duplicate Content-Length header");
    haveLength = true;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (value.empty() || ec == std::errc::result_out_of_range) {
      if (ec == std::errc::result_out_of_range)
        return fail("Content-Length " + quoted(value) + " exceeds the limit of " + std::to_string(maxBodyBytes_) +
                        " bytes",
                    true);
      return fail("empty Content-Length header");
    }
    if (ec != std::errc{} || end != value.data() + value.size())
      return fail("Content-Length " + quoted(value) + " is not a decimal number");
  }
  if (!haveLength) return fail("missing Content-Length header");
  // Refused as soon as the header is read, before buffering any of the body.
  if (length > maxBodyBytes_)
    return fail("Content-Length " + std::to_string(length) + " exceeds the limit of " + std::to_string(maxBodyBytes_) +
                    " bytes",
                true);
  bodyLength_ = length;
  inBody_ = true;
  return FrameStatus::NeedMore;
}

FrameStatus FrameReader::next(std::string& body) {
  if (failed_) return FrameStatus::Error;
  if (!inBody_) {
    std::string_view pending(buffer_.data() + consumed_, buffer_.size() - consumed_);
    std::size_t from = scanFrom_ > consumed_ ? scanFrom_ - consumed_ : 0;
    // Back up 3 bytes: the blank line may straddle the previous feed.
    from = from >= 3 ? from - 3 : 0;
    std::size_t end = pending.find("\r\n\r\n", from);
    // LSP header lines end in CRLF. A bare LF means the peer frames some other way (or typed by hand): without this
    // check we would wait for a CRLF CRLF that never comes, and the peer would wait for an answer forever.
    std::size_t headerEnd = end == std::string_view::npos ? pending.size() : end;
    for (std::size_t lf = pending.find('\n', from); lf < headerEnd; lf = pending.find('\n', lf + 1)) {
      if (lf > 0 && pending[lf - 1] == '\r') continue;
      std::size_t lineStart = lf == 0 ? std::string_view::npos : pending.rfind('\n', lf - 1);
      lineStart = lineStart == std::string_view::npos ? 0 : lineStart + 1;
      return fail("header line " + quoted(pending.substr(lineStart, lf - lineStart)) +
                  " ends with a bare LF; header lines must end with CRLF (\\r\\n)");
    }
    if (end == std::string_view::npos) {
      if (pending.size() > kMaxHeaderBytes)
        return fail("header section longer than " + std::to_string(kMaxHeaderBytes) + " bytes without a blank line");
      scanFrom_ = buffer_.size();
      return FrameStatus::NeedMore;
    }
    if (end > kMaxHeaderBytes) return fail("header section longer than " + std::to_string(kMaxHeaderBytes) + " bytes");
    std::string_view headers = pending.substr(0, end + 2);
    if (FrameStatus s = parseHeaders(headers); s == FrameStatus::Error) return s;
    consumed_ += end + 4;
    scanFrom_ = consumed_;
    // Reserve up front (bounded by the limit checked above) so a large body is not copied at every doubling.
    if (buffer_.capacity() < consumed_ + bodyLength_ && consumed_ == buffer_.size()) {
      buffer_.clear();
      consumed_ = scanFrom_ = 0;
      buffer_.reserve(bodyLength_);
    }
  }
  if (buffer_.size() - consumed_ < bodyLength_) return FrameStatus::NeedMore;
  body.assign(buffer_, consumed_, bodyLength_);
  consumed_ += bodyLength_;
  if (consumed_ == buffer_.size() && buffer_.capacity() > kKeptBufferBytes) {
    // One large message must not leave the connection holding its size for as long as it stays open.
    std::string().swap(buffer_);
    consumed_ = 0;
  }
  scanFrom_ = consumed_;
  inBody_ = false;
  return FrameStatus::Message;
}

std::string frameMessage(std::string_view body) {
  // One allocation of the exact size: a frame is made per answer.
  char digits[24];
  auto length = std::to_chars(std::begin(digits), std::end(digits), body.size()).ptr - digits;
  constexpr std::string_view head = "Content-Length: ", tail = "\r\n\r\n";
  std::string out;
  out.reserve(head.size() + std::size_t(length) + tail.size() + body.size());
  out.append(head).append(digits, std::size_t(length)).append(tail).append(body);
  return out;
}

} // namespace regbridge::protocol
