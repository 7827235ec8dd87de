// regbridge-server.exe started as a client starts it, for the Windows process-level tests: CreateProcess with its
// stdout (and, for --stdio, stdin) on pipes, the ready line, a client end of the named pipe, and LSP-framed
// messages. Header-only, Windows only.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>
#include <windows.h>

namespace regbridge::test::win {

using json = nlohmann::ordered_json;

// Generous bounds that only keep a broken server from hanging the suite; no test measures time.
constexpr DWORD kWaitMs = 20000;

inline std::wstring widen(const std::string& s) {
  std::wstring out(s.size(), L'\0');
  int n =
      ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), static_cast<int>(out.size()));
  out.resize(static_cast<std::size_t>(n > 0 ? n : 0));
  return out;
}

// The server binary: $REGBRIDGE_SERVER, else regbridge-server.exe beside this test executable (both are built
// into build-win/).
inline std::wstring serverBinary() {
  if (const char* fromEnv = std::getenv("REGBRIDGE_SERVER"); fromEnv && *fromEnv) return widen(fromEnv);
  std::wstring self(MAX_PATH, L'\0');
  DWORD n = ::GetModuleFileNameW(nullptr, self.data(), static_cast<DWORD>(self.size()));
  self.resize(n);
  return self.substr(0, self.find_last_of(L"\\/") + 1) + L"regbridge-server.exe";
}

inline std::string randomPipeName() {
  std::random_device random;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x%08x", random(), random());
  return std::string("\\\\.\\pipe\\regbridge-test-") + hex;
}

// A started process: its handle, and our ends of its stdout, stderr and (for --stdio) stdin.
struct Child {
  PROCESS_INFORMATION info{};
  HANDLE out = nullptr, err = nullptr, in = nullptr;

  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (info.hProcess && ::WaitForSingleObject(info.hProcess, 0) == WAIT_TIMEOUT) {
      ::TerminateProcess(info.hProcess, 99);
      ::WaitForSingleObject(info.hProcess, kWaitMs);
    }
    for (HANDLE h : {info.hProcess, info.hThread, out, err, in})
      if (h) ::CloseHandle(h);
  }

  DWORD pid() const { return info.dwProcessId; }

  // The exit code once it has exited, or nullopt if it is still running after `ms`.
  std::optional<DWORD> waitExit(DWORD ms = kWaitMs) const {
    if (::WaitForSingleObject(info.hProcess, ms) != WAIT_OBJECT_0) return std::nullopt;
    DWORD code = 0;
    ::GetExitCodeProcess(info.hProcess, &code);
    return code;
  }

  // One line from stdout (the ready line), without its newline; empty at end of file.
  std::string readLine() const {
    std::string line;
    char c;
    DWORD n = 0;
    while (::ReadFile(out, &c, 1, &n, nullptr) && n == 1 && c != '\n') line += c;
    return line;
  }

  // All of stderr, once the process has exited.
  std::string readStderr() const {
    std::string text;
    char buffer[4096];
    DWORD n = 0;
    while (::ReadFile(err, buffer, sizeof buffer, &n, nullptr) && n > 0) text.append(buffer, n);
    return text;
  }
};

inline void makePipe(HANDLE& ours, HANDLE& theirs, bool theyRead) {
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE readEnd = nullptr, writeEnd = nullptr;
  if (!::CreatePipe(&readEnd, &writeEnd, &inherit, 0)) throw std::runtime_error("CreatePipe failed");
  ours = theyRead ? writeEnd : readEnd;
  theirs = theyRead ? readEnd : writeEnd;
  ::SetHandleInformation(ours, HANDLE_FLAG_INHERIT, 0);
}

inline std::wstring quote(const std::wstring& arg) {
  std::wstring out = L"\"";
  for (wchar_t c : arg) {
    if (c == L'"') out += L'\\';
    out += c;
  }
  return out + L"\"";
}

// Starts the server with `args`; stdin is a pipe of ours when `stdio`, else nothing.
inline std::unique_ptr<Child> startServer(const std::vector<std::string>& args, bool stdio = false) {
  auto child = std::make_unique<Child>();
  HANDLE theirOut = nullptr, theirErr = nullptr, theirIn = nullptr;
  makePipe(child->out, theirOut, false);
  makePipe(child->err, theirErr, false);
  if (stdio) makePipe(child->in, theirIn, true);
  std::wstring binary = serverBinary();
  std::wstring commandLine = quote(binary);
  for (const auto& arg : args) commandLine += L" " + quote(widen(arg));
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = theirIn;
  startup.hStdOutput = theirOut;
  startup.hStdError = theirErr;
  BOOL ok = ::CreateProcessW(binary.c_str(), commandLine.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW, nullptr,
                             nullptr, &startup, &child->info);
  DWORD error = ::GetLastError();
  for (HANDLE h : {theirOut, theirErr, theirIn})
    if (h) ::CloseHandle(h);
  if (!ok) throw std::runtime_error("cannot start the server (error " + std::to_string(error) + ")");
  return child;
}

// A client end of the server's pipe.
class PipeClient {
public:
  explicit PipeClient(const std::string& name) {
    std::wstring wide = widen(name);
    for (;;) {
      handle_ = ::CreateFileW(wide.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
      if (handle_ != INVALID_HANDLE_VALUE) return;
      // Every instance taken: the server makes the next one, WaitNamedPipe returns when it listens (as libuv does).
      if (::GetLastError() != ERROR_PIPE_BUSY || !::WaitNamedPipeW(wide.c_str(), kWaitMs)) break;
    }
    throw std::runtime_error("cannot open " + name + " (error " + std::to_string(::GetLastError()) + ")");
  }
  PipeClient(HANDLE read, HANDLE write) : handle_(read), write_(write), owned_(false) {}
  ~PipeClient() {
    if (owned_ && handle_ != INVALID_HANDLE_VALUE) ::CloseHandle(handle_);
  }
  PipeClient(const PipeClient&) = delete;
  PipeClient& operator=(const PipeClient&) = delete;

  HANDLE handle() const { return handle_; }

  void send(const json& message) {
    std::string body = message.dump();
    std::string frame = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    DWORD n = 0;
    if (!::WriteFile(write_ ? write_ : handle_, frame.data(), static_cast<DWORD>(frame.size()), &n, nullptr) ||
        n != frame.size())
      throw std::runtime_error("write failed (error " + std::to_string(::GetLastError()) + ")");
  }

  // The next message; throws at the end of the stream.
  json receive() {
    std::size_t headerEnd;
    while ((headerEnd = buffered_.find("\r\n\r\n")) == std::string::npos) fill();
    std::string header = buffered_.substr(0, headerEnd);
    std::size_t at = header.find("Content-Length: ");
    if (at == std::string::npos) throw std::runtime_error("no Content-Length in " + header);
    std::size_t length = std::stoul(header.substr(at + 16));
    while (buffered_.size() < headerEnd + 4 + length) fill();
    json message = json::parse(buffered_.substr(headerEnd + 4, length));
    buffered_.erase(0, headerEnd + 4 + length);
    return message;
  }

  // Raw bytes, framed or not.
  void sendRaw(const std::string& bytes) {
    DWORD n = 0;
    if (!::WriteFile(write_ ? write_ : handle_, bytes.data(), static_cast<DWORD>(bytes.size()), &n, nullptr))
      throw std::runtime_error("write failed (error " + std::to_string(::GetLastError()) + ")");
  }

  // Whether the server has closed its end (reads fail with ERROR_BROKEN_PIPE) once what was sent is read.
  bool endsAfterBuffered() {
    char chunk[4096];
    DWORD n = 0;
    while (::ReadFile(handle_, chunk, sizeof chunk, &n, nullptr) && n > 0) buffered_.append(chunk, n);
    return ::GetLastError() == ERROR_BROKEN_PIPE;
  }

  json request(int id, const std::string& method, const json& params = json::object()) {
    json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) message["params"] = params; // null: no params at all
    send(message);
    return receive();
  }

private:
  void fill() {
    char chunk[4096];
    DWORD n = 0;
    if (!::ReadFile(handle_, chunk, sizeof chunk, &n, nullptr) || n == 0)
      throw std::runtime_error("the stream ended (error " + std::to_string(::GetLastError()) + ")");
    buffered_.append(chunk, n);
  }

  HANDLE handle_ = INVALID_HANDLE_VALUE;
  HANDLE write_ = nullptr;
  bool owned_ = true;
  std::string buffered_;
};

// The ready line, parsed; fails the test if it is not one.
inline json readReady(const Child& child) {
  std::string line = child.readLine();
  json ready = json::parse(line, nullptr, false);
  EXPECT_TRUE(ready.is_object() && ready.value("ready", false)) << "first line: " << line;
  return ready;
}

} // namespace regbridge::test::win
