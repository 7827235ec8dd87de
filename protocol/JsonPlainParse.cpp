#include "protocol/JsonPlainParse.h"

#include <cstdint>
#include <string>

#include "protocol/JsonScan.h"

namespace regbridge::protocol {

using json = nlohmann::ordered_json;

namespace {

class PlainParser {
public:
  explicit PlainParser(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool document(json& out) {
    skipSpace();
    if (!value(out, 0)) return false;
    skipSpace();
    return p_ == end_;
  }

private:
  void skipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool value(json& out, std::size_t depth) {
    if (p_ == end_) return false;
    switch (*p_) {
    case '{': return object(out, depth + 1);
    case '[': return array(out, depth + 1);
    case '"': {
      std::string text;
      if (!string(text)) return false;
      out = std::move(text);
      return true;
    }
    case 't': return literal("true", true, out);
    case 'f': return literal("false", false, out);
    case 'n': return literal("null", nullptr, out);
    default: return number(out);
    }
  }

  bool object(json& out, std::size_t depth) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;
    out = json::object();
    // A message has four members and params two or three: room for them at once, not 1, 2, then 4.
    out.get_ref<json::object_t&>().reserve(4);
    skipSpace();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    std::string key;
    for (;;) {
      if (p_ == end_ || *p_ != '"') return false;
      key.clear();
      if (!string(key)) return false;
      skipSpace();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skipSpace();
      // operator[], as nlohmann's own DOM builder: a repeated key is assigned again where it first stood.
      if (!value(out[key], depth)) return false;
      skipSpace();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skipSpace();
    }
  }

  bool array(json& out, std::size_t depth) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;
    out = json::array();
    skipSpace();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      out.push_back(nullptr);
      if (!value(out.back(), depth)) return false;
      skipSpace();
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skipSpace();
    }
  }

  // ASCII only: non-ASCII text needs UTF-8 validation and `\u` escapes need the WTF-8 rules (JsonWtf8.h), both the
  // full parser's business.
  bool string(std::string& out) {
    ++p_;
    for (;;) {
      const char* run = p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20 &&
             static_cast<unsigned char>(*p_) < 0x80)
        ++p_;
      out.append(run, p_);
      if (p_ == end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ != '\\' || ++p_ == end_) return false;
      switch (*p_) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      default: return false;
      }
      ++p_;
    }
  }

  template <class T> bool literal(std::string_view word, T result, json& out) {
    if (std::size_t(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    out = result;
    return true;
  }

  // Integers of up to 18 digits, which fit both int64 and uint64. A following '.', 'e' or 'E' gives up, and so do
  // "-0" and leading zeros (nlohmann reads "-0" as an integer 0 and refuses "01"; neither is worth matching here).
  bool number(json& out) {
    bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0' && (negative || (p_ + 1 != end_ && p_[1] >= '0' && p_[1] <= '9'))) return false;
    std::uint64_t magnitude = 0;
    int digits = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      if (++digits > 18) return false;
      magnitude = magnitude * 10 + std::uint64_t(*p_ - '0');
      ++p_;
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    if (negative) out = -static_cast<std::int64_t>(magnitude);
    else out = magnitude;
    return true;
  }

  const char* p_;
  const char* end_;
};

} // namespace

std::optional<json> parsePlainJson(std::string_view text) {
  json out;
  if (!PlainParser(text).document(out)) return std::nullopt;
  return out;
}

} // namespace regbridge::protocol
