// Helpers shared by the hive store's tests: opening stores, building value data, checking error codes, and
// writing small hive files by hand (links, classes) in Wine's format.
#pragma once

#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/stat.h>
#include <vector>

#include "registry/Backend.h"
#include "registry/Error.h"
#include "registry/KeyPath.h"
#include "registry/Unicode.h"
#include "registry/Value.h"
#include "registry/hive/HiveFormat.h"
#include "registry/hive/HiveStore.h"
#include "tests/cpp/TestSupport.h"

namespace regbridge::test::storetest {

inline std::unique_ptr<Backend> openStore(const std::filesystem::path& prefix) {
  return hive::openHiveStore(prefix.string());
}

// user.reg's generation counter in the prefix's lock file (StoreLock.h: the generations follow a 16-byte header):
// how many times regbridge saved it.
inline std::uint64_t userSaves(const std::filesystem::path& prefix) {
  std::string lock = readFile(prefix / ".regbridge.lock");
  std::uint64_t value = 0;
  std::memcpy(&value, lock.data() + 16 + 8, sizeof value);
  return value;
}

// A KeyPath together with the text it views (KeyPath::parse keeps views), so that tests can keep paths made from
// temporaries. Neither copied nor moved: a moved short string would leave the views pointing at the old object.
struct OwnedKeyPath : KeyPath {
  explicit OwnedKeyPath(std::string source) : text(std::move(source)) {
    static_cast<KeyPath&>(*this) = KeyPath::parse(text);
  }
  OwnedKeyPath(const OwnedKeyPath&) = delete;
  OwnedKeyPath& operator=(const OwnedKeyPath&) = delete;
  std::string text;
};

inline OwnedKeyPath key(const std::string& text) { return OwnedKeyPath(text); }

// Scoped RLIMIT_FSIZE; SIGXFSZ is ignored meanwhile so that the write fails with EFBIG instead of killing us.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &old_);
    oldHandler_ = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = old_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, oldHandler_);
  }

private:
  struct rlimit old_ {};
  void (*oldHandler_)(int) = nullptr;
};

// Concatenation without `"literal" + std::to_string(...)` chains, which trip GCC 12's -Wrestrict false positive.
inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) out += part;
  return out;
}

// REG_SZ data as Windows stores it: UTF-16LE with the final NUL.
inline std::vector<std::uint8_t> sz(const std::string& utf8) {
  std::vector<unsigned char> out;
  appendLe(out, *utf8ToUtf16(utf8));
  out.push_back(0);
  out.push_back(0);
  return {out.begin(), out.end()};
}

inline std::vector<std::uint8_t> dword(std::uint32_t v) {
  return {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
}

inline std::vector<std::uint8_t> bytesOf(const std::string& s) { return {s.begin(), s.end()}; }

inline std::string textOf(const RawValue& value) {
  auto units = codeUnitsFromLe(value.data.data(), value.data.size());
  while (!units.empty() && units.back() == 0) units.pop_back();
  return utf16ToUtf8(units);
}

// Runs `body`, which must throw a RegistryError with `code`; returns it for further checks.
inline RegistryError expectError(ErrorCode code, const std::function<void()>& body) {
  try {
    body();
  } catch (const RegistryError& e) {
    EXPECT_EQ(errorCodeName(e.code()), errorCodeName(code)) << e.what();
    return e;
  }
  ADD_FAILURE() << "expected " << errorCodeName(code) << ", nothing was thrown";
  return RegistryError(ErrorCode::Internal, "nothing thrown");
}

// A value line in Wine's hex form, e.g. `"SymbolicLinkValue"=hex(6):5c,00,...` (no wrapping: the reader accepts
// long lines).
inline std::string hexValueLine(const std::string& name, std::uint32_t type, const std::vector<std::uint8_t>& data) {
  char head[32];
  std::snprintf(head, sizeof head, "hex(%x):", type);
  std::string line = "\"" + name + "\"=" + head;
  for (std::size_t i = 0; i < data.size(); ++i) {
    char byte[4];
    std::snprintf(byte, sizeof byte, "%02x", data[i]);
    line += byte;
    if (i + 1 < data.size()) line += ',';
  }
  return line + "\n";
}

// A link key's lines: `[path] secs`, `#time=`, `#link`, and its SymbolicLinkValue naming `target` (an NT path).
inline std::string linkKeyLines(const std::string& escapedPath, const std::string& target) {
  std::vector<unsigned char> data;
  appendLe(data, *utf8ToUtf16(target));
  return "\n[" + escapedPath + "] 1699121962\n#time=1da0f4b6f4b6f40\n#link\n" +
         hexValueLine("SymbolicLinkValue", REG_LINK, {data.begin(), data.end()});
}

// Hand-written hive text as Wine would write it: keys in Wine's order, hex lines broken where Wine breaks them.
// The store refuses to write back a file that saving would change, so fixtures that tests write to go through this.
inline std::string asWineWrites(const std::string& text) {
  hive::ParseResult parsed = hive::parseHive(text);
  for (const auto& issue : parsed.issues) {
    // Order and layout are what this fixes; anything else is a broken fixture.
    EXPECT_NE(issue.message.find("order"), std::string::npos) << issue.line << ": " << issue.message;
  }
  return hive::saveHive(parsed.hive);
}

inline std::string systemHeader() {
  return "WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\Machine\n\n#arch=win64\n";
}
inline std::string userHeader(const std::string& sid = "S-1-5-21-0-0-0-1000") {
  return "WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\User\\\\" + sid + "\n\n#arch=win64\n";
}

struct FileStamp {
  ino_t inode = 0;
  std::int64_t mtimeNs = 0;
  off_t size = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

inline FileStamp stampOf(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return {};
  return {st.st_ino, std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, st.st_size};
}

inline std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

} // namespace regbridge::test::storetest
