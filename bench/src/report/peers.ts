// The registry packages a Node user would otherwise pick, and why none of them can run on this machine — so the
// benchmark's peers are the transports such a user would build instead (vscode-jsonrpc, child_process IPC) and
// the Windows tool under Wine (`wine reg query`).

/** Packages that cannot run here, and why. */
export const peersNotRunnable: Array<{ name: string; why: string }> = [
  {
    name: '@vscode/windows-registry',
    why: 'a C++ addon over advapi32 (RegOpenKeyExW/RegQueryValueExW) that builds only on Windows; no Linux build exists',
  },
  {
    name: 'registry-js',
    why: "GitHub Desktop's N-API addon over the Win32 registry API; it loads its native module only when process.platform is 'win32' (elsewhere every call returns nothing)",
  },
  {
    name: 'native-reg',
    why: 'an N-API addon over advapi32 with prebuilt binaries for Windows only; on other platforms it loads but asserts on any call',
  },
  {
    name: 'winreg',
    why: 'spawns reg.exe per call and parses its output; there is no reg.exe here (its nearest equivalent is the `wine reg query` peer, measured)',
  },
];
