// The addon imports its napi_* functions from "node.exe", the DLL name its import library names. But the process that
// loads it may be another executable exporting the same functions: Electron's (VS Code's Code.exe, an app's own
// .exe), where a plain import of node.exe would fail to load the addon at all. So the imports are delay-loaded
// (cmake/NodeImportLibrary.cmake), and this hook answers the loader's request for node.exe with the process's own
// image, which is what exports them in Node and in Electron alike (node-gyp's win_delay_load_hook does the same for
// MSVC builds).
#include <windows.h>

#include <delayimp.h>

#include <cstring>

namespace {

FARPROC WINAPI loadNodeApiFromHost(unsigned notification, PDelayLoadInfo info) {
  if (notification != dliNotePreLoadLibrary || _stricmp(info->szDll, "node.exe") != 0) return nullptr;
  return reinterpret_cast<FARPROC>(GetModuleHandleW(nullptr));
}

} // namespace

// mingw-w64's delay-load helper (libmingwex) calls this hook; defining it here keeps the library's empty default out.
// (delayimp.h declares it extern "C", which this definition inherits.)
PfnDliHook __pfnDliNotifyHook2 = loadNodeApiFromHost;
