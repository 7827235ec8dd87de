// regbridge-server.exe over a Windows named pipe: started as the TS client starts it, reached with CreateFileW,
// refusing a pipe name that is taken, private to its user, and following its --parent-pid out.
#include <gtest/gtest.h>

#include <algorithm>
#include <windows.h>

#include <aclapi.h> // after windows.h, which they need
#include <sddl.h>

#include "tests/cpp/win/ServerProcessWin.h"

namespace regbridge::test::win {
namespace {

// The echo server needs no backend: these tests are about the transport.
std::unique_ptr<Child> startEchoServer(const std::string& pipe, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"--echo", "--pipe", pipe};
  args.insert(args.end(), more.begin(), more.end());
  return startServer(args);
}

TEST(NamedPipeServerTest, AnswersOverThePipeItReports) {
  std::string pipe = randomPipeName();
  auto server = startEchoServer(pipe);
  json ready = readReady(*server);
  EXPECT_EQ(ready["pipe"], pipe);
  EXPECT_EQ(ready["pid"], server->pid());

  PipeClient client(pipe);
  json init = client.request(1, "initialize");
  EXPECT_EQ(init["result"]["protocolVersion"], 1) << init.dump();
  EXPECT_EQ(init["result"]["backend"], "echo");
  json params = {{"key", "HKCU\\Software\\Regbridge"}};
  json answer = client.request(2, "keyExists", params);
  EXPECT_EQ(answer["id"], 2);
  EXPECT_EQ(answer["result"], params) << answer.dump();
}

TEST(NamedPipeServerTest, AnswersFromTheWindowsRegistry) {
  // No --echo: the default backend on Windows, the registry itself. Only reads, of keys every Windows (and every Wine
  // prefix) has or cannot have.
  std::string pipe = randomPipeName();
  auto server = startServer({"--pipe", pipe});
  readReady(*server);
  PipeClient client(pipe);
  json init = client.request(1, "initialize");
  EXPECT_EQ(init["result"]["backend"], "win32") << init.dump();
  EXPECT_EQ(client.request(2, "keyExists", {{"key", "HKCU\\Software"}})["result"], true);
  json missing = client.request(3, "keyExists", {{"key", "HKCU\\Software\\" + pipe.substr(9) + "-absent"}});
  EXPECT_EQ(missing["result"], false) << missing.dump();
  json error =
      client.request(4, "readValue", {{"key", "HKCU\\Software\\" + pipe.substr(9) + "-absent"}, {"name", "x"}});
  EXPECT_EQ(error["error"]["data"]["code"], "ERR_KEY_NOT_FOUND") << error.dump();
}

TEST(NamedPipeServerTest, ServesSeveralClientsAtOnce) {
  std::string pipe = randomPipeName();
  auto server = startEchoServer(pipe);
  readReady(*server);
  // Each client takes the listening instance; the server must have made the next one before the next client comes.
  std::vector<std::unique_ptr<PipeClient>> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(std::make_unique<PipeClient>(pipe));
  for (int i = 4; i >= 0; --i) {
    json answer = clients[i]->request(i, "echo", {{"client", i}});
    EXPECT_EQ(answer["result"]["client"], i) << answer.dump();
  }
}

TEST(NamedPipeServerTest, LargeMessagesCrossThePipeWhole) {
  std::string pipe = randomPipeName();
  auto server = startEchoServer(pipe);
  readReady(*server);
  PipeClient client(pipe);
  // Larger than the pipe's 64 KiB buffers both ways: reads and writes must each loop.
  std::string big(1 << 20, 'r');
  json answer = client.request(1, "echo", {{"big", big}});
  ASSERT_TRUE(answer["result"].is_object()) << answer.dump().substr(0, 300);
  EXPECT_EQ(answer["result"]["big"].get<std::string>().size(), big.size());
}

TEST(NamedPipeServerTest, UnfinishedFrameIsAnsweredAndClosedAfterTheFrameTimeout) {
  // The timeout cancels the pending zero-byte read: per-operation cancellation of the overlapped wait.
  std::string pipe = randomPipeName();
  auto server = startEchoServer(pipe, {"--frame-timeout-ms", "200"});
  readReady(*server);
  PipeClient client(pipe);
  EXPECT_EQ(client.request(1, "echo", {{"a", 1}})["result"]["a"], 1);
  client.sendRaw("Content-Length: 50\r\n\r\n{\"jsonrpc\"");
  json answer = client.receive();
  ASSERT_TRUE(answer.contains("error")) << answer.dump();
  EXPECT_NE(answer["error"]["message"].get<std::string>().find("no byte of the unfinished message"), std::string::npos)
      << answer.dump();
  EXPECT_TRUE(client.endsAfterBuffered());
  // The server itself serves on.
  PipeClient next(pipe);
  EXPECT_EQ(next.request(2, "echo", {{"b", 2}})["result"]["b"], 2);
}

TEST(NamedPipeServerTest, ShutdownAndExitStopTheServerWithCodeZero) {
  std::string pipe = randomPipeName();
  auto server = startEchoServer(pipe);
  readReady(*server);
  PipeClient idle(pipe); // a second, idle connection: its pending read must be cancelled for the server to stop
  PipeClient client(pipe);
  json answer = client.request(1, "shutdown", nullptr);
  EXPECT_TRUE(answer.contains("result")) << answer.dump();
  client.send({{"jsonrpc", "2.0"}, {"method", "exit"}});
  std::optional<DWORD> code = server->waitExit();
  ASSERT_TRUE(code.has_value()) << "the server did not stop";
  EXPECT_EQ(*code, 0u);
}

TEST(NamedPipeServerTest, SecondServerOnTheSameNameFailsAndTheFirstServesOn) {
  std::string pipe = randomPipeName();
  auto first = startEchoServer(pipe);
  readReady(*first);

  auto second = startEchoServer(pipe);
  std::optional<DWORD> code = second->waitExit();
  ASSERT_TRUE(code.has_value()) << "the second server kept running";
  EXPECT_NE(*code, 0u);
  EXPECT_EQ(second->readLine(), "") << "the second server must not report ready";
  std::string said = second->readStderr();
  EXPECT_NE(said.find("the named pipe " + pipe + " already exists"), std::string::npos) << said;

  PipeClient client(pipe);
  json answer = client.request(1, "echo", {{"still", "here"}});
  EXPECT_EQ(answer["result"]["still"], "here") << answer.dump();
  EXPECT_FALSE(first->waitExit(0).has_value());
}

TEST(NamedPipeServerTest, RefusesANameOutsideThePipeNamespace) {
  auto server = startEchoServer("C:\\not-a-pipe");
  std::optional<DWORD> code = server->waitExit();
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1u);
  std::string said = server->readStderr();
  EXPECT_NE(said.find("is not a local pipe name"), std::string::npos) << said;
}

TEST(NamedPipeServerTest, PipeGrantsOnlyTheUserAndSystem) {
  std::string pipe = randomPipeName();
  auto server = startEchoServer(pipe);
  readReady(*server);
  PipeClient client(pipe);
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  ASSERT_EQ(::GetSecurityInfo(client.handle(), SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, &dacl,
                              nullptr, &descriptor),
            static_cast<DWORD>(ERROR_SUCCESS));
  ASSERT_NE(dacl, nullptr) << "a null DACL would let everyone in";
  std::vector<std::string> trustees;
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    ASSERT_TRUE(::GetAce(dacl, i, &ace));
    ASSERT_EQ(static_cast<ACE_HEADER*>(ace)->AceType, ACCESS_ALLOWED_ACE_TYPE);
    wchar_t* sid = nullptr;
    ASSERT_TRUE(::ConvertSidToStringSidW(&static_cast<ACCESS_ALLOWED_ACE*>(ace)->SidStart, &sid));
    std::wstring text(sid);
    ::LocalFree(sid);
    trustees.emplace_back(text.begin(), text.end());
  }
  ::LocalFree(descriptor);

  HANDLE token = nullptr;
  ASSERT_TRUE(::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token));
  char buffer[256];
  DWORD size = 0;
  ASSERT_TRUE(::GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &size));
  ::CloseHandle(token);
  wchar_t* self = nullptr;
  ASSERT_TRUE(::ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid, &self));
  std::wstring selfText(self);
  ::LocalFree(self);

  std::sort(trustees.begin(), trustees.end());
  std::vector<std::string> expected = {"S-1-5-18", std::string(selfText.begin(), selfText.end())};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(trustees, expected);
}

TEST(NamedPipeServerTest, ExitsWhenItsParentPidEnds) {
  // Any process will do as the "parent": another echo server, which the test ends.
  auto parent = startEchoServer(randomPipeName());
  readReady(*parent);
  std::string pipe = randomPipeName();
  auto server = startEchoServer(pipe, {"--parent-pid", std::to_string(parent->pid())});
  readReady(*server);
  {
    PipeClient client(pipe);
    EXPECT_EQ(client.request(1, "echo", {{"a", 1}})["result"]["a"], 1);
  }
  EXPECT_FALSE(server->waitExit(0).has_value());
  ASSERT_TRUE(::TerminateProcess(parent->info.hProcess, 7));
  std::optional<DWORD> code = server->waitExit();
  ASSERT_TRUE(code.has_value()) << "the server outlived its --parent-pid";
  EXPECT_EQ(*code, 0u);
}

TEST(NamedPipeServerTest, ExitsAtOnceWhenItsParentPidIsAlreadyGone) {
  auto gone = startEchoServer(randomPipeName());
  readReady(*gone);
  DWORD pid = gone->pid();
  ::TerminateProcess(gone->info.hProcess, 7);
  ASSERT_TRUE(gone->waitExit().has_value());
  // `gone` still holds the process's handle, so its id cannot pass to a new process meanwhile.
  auto server = startServer({"--echo", "--pipe", randomPipeName(), "--parent-pid", std::to_string(pid)});
  std::optional<DWORD> code = server->waitExit();
  ASSERT_TRUE(code.has_value()) << "the server did not notice that its --parent-pid had exited";
  EXPECT_EQ(*code, 0u);
}

TEST(NamedPipeServerTest, StdioModeServesStdinAndStdout) {
  auto server = startServer({"--echo", "--stdio"}, true);
  PipeClient client(server->out, server->in);
  json init = client.request(1, "initialize");
  EXPECT_EQ(init["result"]["backend"], "echo") << init.dump();
  EXPECT_EQ(client.request(2, "ping", {{"a", 1}})["result"]["a"], 1);
  ::CloseHandle(server->in);
  server->in = nullptr;
  std::optional<DWORD> code = server->waitExit();
  ASSERT_TRUE(code.has_value()) << "the server kept running after stdin closed";
  EXPECT_EQ(*code, 0u);
}

} // namespace
} // namespace regbridge::test::win
