# Keeps platform code in its own folders: a POSIX header or call in registry/, server/, addon/ or protocol/ is allowed
# only under a `posix/` or `unix/` folder, a Win32 one only under a `win/` folder. The shared code sees small portable
# interfaces (registry/hive/HiveFile.h, server/Process.h, ...) and CMake picks the folder that implements them.
#
#   cmake -DROOT=<source tree> -P tests/layout/platform-folders.cmake
#       fails and lists every `file:line: what` found out of place.
#   cmake -DROOT=tests/layout/planted -DEXPECTED_FILE=tests/layout/planted/expected.txt -P tests/layout/platform-folders.cmake
#       passes only when exactly the places listed in the file (`file:line`, one a line) are reported: the check of
#       the check, on a tree with violations planted among look-alikes that must pass.
#
# Comments, string literals and character literals are skipped (a comment may name flock() to say why), except that
# a "/proc/" or "/dev/" path in a string counts: probing those is as POSIX as a call.
cmake_minimum_required(VERSION 3.25)

if(NOT ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source tree> [-DEXPECTED_FILE=<list>] -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)

set(scanned registry server addon protocol)
set(extensions cpp cc c h hh hpp inl ipp)

# CMake's regex has no \b: an identifier boundary is spelled out. It also allows only 9 groups per expression, so the
# names below are plain alternatives, without groups of their own.
set(B "(^|[^A-Za-z0-9_])")
set(E "([^A-Za-z0-9_]|$)")

# ---- POSIX -------------------------------------------------------------------------------------------------------
set(posix_headers
  "unistd\\.h" "sys/[a-z0-9_/]+\\.h" "fcntl\\.h" "dirent\\.h" "pthread\\.h" "signal\\.h" "pwd\\.h" "grp\\.h"
  "poll\\.h" "termios\\.h" "dlfcn\\.h" "spawn\\.h" "semaphore\\.h" "netdb\\.h" "syslog\\.h" "glob\\.h" "libgen\\.h"
  "utime\\.h" "aio\\.h" "ftw\\.h" "netinet/[a-z0-9_]+\\.h" "arpa/[a-z0-9_]+\\.h" "linux/[a-z0-9_/]+\\.h")
# Names distinctive enough to count wherever they are called.
set(posix_calls
  flock lstat fstat fstatat fcntl mmap munmap madvise mprotect msync mlock getuid geteuid getgid getegid getpid
  getppid getpwuid getpwuid_r getpwnam fork vfork execv execve execvp execl waitpid wait4 sigaction sigprocmask
  sigemptyset "pthread_[a-z_]+" "posix_spawn[a-z_]*" dup2 dup3 pipe2 socketpair unlinkat openat fsync fdatasync
  opendir readdir closedir fdopendir dirfd realpath readlink readlinkat symlink chmod fchmod fchown chown lchown
  umask writev readv pread pwrite clock_gettime nanosleep usleep sysconf isatty ioctl "epoll_[a-z_]+"
  "inotify_[a-z_]+" "pidfd_[a-z_]+" setrlimit getrlimit prctl mallopt malloc_trim setsid setpgid mkstemp mkdtemp
  ftruncate)
# Names that are also ordinary method names (Store::open, Link::read): only the global `::name(` counts.
set(posix_global_calls
  open close read write stat access unlink rename link pipe dup kill mkdir rmdir poll sleep truncate select socket
  connect bind listen accept send recv wait)
set(posix_names
  pid_t uid_t gid_t mode_t ssize_t environ "S_IS[A-Z]+" O_RDONLY O_WRONLY O_RDWR O_CREAT O_EXCL O_CLOEXEC O_NONBLOCK
  O_NOCTTY O_DIRECTORY O_NOFOLLOW O_TRUNC O_APPEND "MAP_[A-Z_]+" "PROT_[A-Z]+" "LOCK_[A-Z]+" F_GETLK F_SETLK F_SETLKW
  F_GETFD F_SETFD F_GETFL F_SETFL F_WRLCK F_RDLCK F_UNLCK "MADV_[A-Z_]+" SIGPIPE SIGXFSZ SIGHUP SIGKILL SIGCHLD
  SIGUSR1 SIGUSR2 SIGALRM SIGQUIT SIGSTOP SIGCONT "RLIMIT_[A-Z]+" WNOHANG STDIN_FILENO STDOUT_FILENO STDERR_FILENO)
set(posix_structs stat flock passwd dirent iovec sigaction pollfd sockaddr_un rlimit)

# ---- Win32 -------------------------------------------------------------------------------------------------------
set(win_headers
  windows windef winbase winnt winreg winerror winsock2 ws2tcpip sddl aclapi accctrl io direct process tlhelp32
  shlobj shellapi userenv psapi winternl ntstatus lmcons wtsapi32 processthreadsapi handleapi fileapi synchapi
  namedpipeapi securitybaseapi errhandlingapi memoryapi winioctl)
set(win_calls
  "RegOpen[A-Za-z0-9]*" "RegCreate[A-Za-z0-9]*" "RegClose[A-Za-z0-9]*" "RegQuery[A-Za-z0-9]*" "RegGet[A-Za-z0-9]*"
  "RegSet[A-Za-z0-9]*" "RegDelete[A-Za-z0-9]*" "RegEnum[A-Za-z0-9]*" "RegFlush[A-Za-z0-9]*" "RegNotify[A-Za-z0-9]*"
  "RegLoad[A-Za-z0-9]*" "RegUnload[A-Za-z0-9]*" "RegSave[A-Za-z0-9]*" "RegRestore[A-Za-z0-9]*" "RegReplace[A-Za-z0-9]*"
  "RegConnect[A-Za-z0-9]*" "RegOverride[A-Za-z0-9]*" "RegDisable[A-Za-z0-9]*" "RegEnable[A-Za-z0-9]*"
  "RegCopy[A-Za-z0-9]*" "RegRename[A-Za-z0-9]*"
  "CreateFile[AW2]?" "CreateNamedPipe[AW]?" ConnectNamedPipe DisconnectNamedPipe "GetNamedPipe[A-Za-z]*" CloseHandle
  GetLastError SetLastError "WaitForSingleObject[A-Za-z]*" "WaitForMultipleObjects[A-Za-z]*" OpenProcess OpenProcessToken "GetCurrentProcess[A-Za-z]*"
  "GetCurrentThread[A-Za-z]*" GetTokenInformation LocalFree LocalAlloc MultiByteToWideChar WideCharToMultiByte
  SetConsoleCtrlHandler DuplicateHandle "ReadFile[A-Za-z]*" "WriteFile[A-Za-z]*" FlushFileBuffers "MoveFile[A-Za-z]*"
  "GetFileInformationByHandle[A-Za-z]*" LockFileEx UnlockFileEx VirtualAlloc VirtualFree "CreateFileMapping[AW]?"
  MapViewOfFile UnmapViewOfFile "FormatMessage[AW]?" SetHandleInformation GetStdHandle "CreateEvent[AW]?"
  "CreateProcess[AW]?" "GetModuleHandle[AW]?" GetProcAddress "LoadLibrary[A-Za-z]*" "ConvertSidToStringSid[AW]?"
  "ConvertStringSecurityDescriptorToSecurityDescriptor[AW]?" "SetEntriesInAcl[AW]?" InitializeSecurityDescriptor
  SetSecurityDescriptorDacl EqualSid "GetUserName[AW]?" SHGetKnownFolderPath "GetEnvironmentVariable[AW]?"
  "DeleteFile[AW]?" "FindFirstFile[A-Za-z]*" "GetFileAttributes[A-Za-z]*" "CreateDirectory[AW]?" "GetTempPath[AW2]?"
  Sleep GetSystemTimeAsFileTime QueryPerformanceCounter "GetTickCount[0-9]*")
# Win32 types and macros; HKEY_LOCAL_MACHINE and REG_SZ are not among them: the portable code names roots and types.
set(win_names
  HANDLE HKEY DWORD LPCWSTR LPWSTR LPCSTR LPSTR LPVOID WCHAR HRESULT SECURITY_ATTRIBUTES OVERLAPPED
  INVALID_HANDLE_VALUE "ERROR_[A-Z_]+" KEY_READ KEY_WRITE KEY_EXECUTE KEY_ALL_ACCESS KEY_QUERY_VALUE KEY_SET_VALUE
  KEY_CREATE_SUB_KEY KEY_ENUMERATE_SUB_KEYS KEY_NOTIFY KEY_CREATE_LINK "KEY_WOW64_[0-9A-Z]+"
  WINAPI CALLBACK)

function(alternation out)
  list(JOIN ARGN "|" joined)
  set(${out} "(${joined})" PARENT_SCOPE)
endfunction()
alternation(posix_header_alt ${posix_headers})
alternation(posix_call_alt ${posix_calls})
alternation(posix_global_alt ${posix_global_calls})
alternation(posix_name_alt ${posix_names})
alternation(posix_struct_alt ${posix_structs})
alternation(win_header_alt ${win_headers})
alternation(win_call_alt ${win_calls})
alternation(win_name_alt ${win_names})

set(include_re "^[ \t]*#[ \t]*include[ \t]*<")
set(posix_res
  "${include_re}${posix_header_alt}>"
  "${B}${posix_call_alt}[ \t]*\\("
  "(^|[^A-Za-z0-9_:])::${posix_global_alt}[ \t]*\\("
  "${B}${posix_name_alt}${E}"
  "${B}struct[ \t]+${posix_struct_alt}${E}")
set(win_res
  "${include_re}${win_header_alt}\\.h>"
  "${B}${win_call_alt}[ \t]*\\("
  "${B}${win_name_alt}${E}")
# In the text with its strings kept.
set(posix_string_res "\"/(proc|dev)/")

# Comments and literals, leftmost first, so that a quote inside a comment or a // inside a string is taken as such.
set(token_re "//.*$|/\\*([^*]|\\*+[^*/])*\\*+/|\"([^\"\\\\]|\\\\.)*\"|'([^'\\\\]|\\\\.)*'")
set(keep_strings_re "//.*$|/\\*([^*]|\\*+[^*/])*\\*+/")

# `what` found by a rule, without the boundary characters around it.
function(report out rel number kind what where)
  string(REGEX REPLACE "^[^A-Za-z0-9_#\"]+" "" what "${what}")
  string(REGEX REPLACE "[^A-Za-z0-9_>(/]+$" "" what "${what}")
  set(${out} "${rel}:${number}: ${kind} '${what}' outside ${where}" PARENT_SCOPE)
endfunction()

# The places of one file that break the rule, as "rel:line: what".
function(scan_file path rel out)
  file(READ "${path}" text)
  # One list element per line: the characters CMake's lists treat specially are renamed first (none of the rules
  # needs them), and each line ends in a space so that a trailing backslash cannot escape the separator.
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "[" "<lbracket>" text "${text}")
  string(REPLACE "]" "<rbracket>" text "${text}")
  string(REPLACE "\n" " ;" lines "${text}")

  set(found "")
  set(number 0)
  set(in_block FALSE)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(in_block)
      string(FIND "${line}" "*/" close)
      if(close EQUAL -1)
        continue()
      endif()
      math(EXPR close "${close} + 2")
      string(SUBSTRING "${line}" ${close} -1 line)
      set(in_block FALSE)
    endif()
    string(REGEX REPLACE "${token_re}" " " code "${line}")
    string(REGEX REPLACE "${keep_strings_re}" " " with_strings "${line}")
    # A block comment that goes on past this line.
    string(FIND "${code}" "/*" open)
    if(NOT open EQUAL -1)
      string(SUBSTRING "${code}" 0 ${open} code)
      string(FIND "${with_strings}" "/*" open)
      if(NOT open EQUAL -1)
        string(SUBSTRING "${with_strings}" 0 ${open} with_strings)
      endif()
      set(in_block TRUE)
    endif()
    if(NOT rel MATCHES "(^|/)(posix|unix)/")
      foreach(re IN LISTS posix_res)
        if(code MATCHES "${re}")
          report(line_report "${rel}" ${number} POSIX "${CMAKE_MATCH_0}" "a posix/ or unix/ folder")
          list(APPEND found "${line_report}")
          break()
        endif()
      endforeach()
      if(with_strings MATCHES "${posix_string_res}")
        report(line_report "${rel}" ${number} "POSIX path" "${CMAKE_MATCH_0}" "a posix/ or unix/ folder")
        list(APPEND found "${line_report}")
      endif()
    endif()
    if(NOT rel MATCHES "(^|/)win/")
      string(TOLOWER "${code}" lower)
      if(lower MATCHES "${include_re}${win_header_alt}\\.h>")
        report(line_report "${rel}" ${number} Win32 "${CMAKE_MATCH_0}" "a win/ folder")
        list(APPEND found "${line_report}")
      else()
        foreach(re IN LISTS win_res)
          if(code MATCHES "${re}")
            report(line_report "${rel}" ${number} Win32 "${CMAKE_MATCH_0}" "a win/ folder")
            list(APPEND found "${line_report}")
            break()
          endif()
        endforeach()
      endif()
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

set(reports "")
set(places "")
set(count 0)
foreach(dir IN LISTS scanned)
  set(globs "")
  foreach(ext IN LISTS extensions)
    list(APPEND globs "${ROOT}/${dir}/*.${ext}")
  endforeach()
  file(GLOB_RECURSE files LIST_DIRECTORIES false ${globs})
  list(SORT files)
  foreach(path IN LISTS files)
    math(EXPR count "${count} + 1")
    file(RELATIVE_PATH rel "${ROOT}" "${path}")
    scan_file("${path}" "${rel}" found)
    foreach(report IN LISTS found)
      string(REPLACE "<semicolon>" ";" shown "${report}")
      string(REPLACE "<lbracket>" "[" shown "${shown}")
      string(REPLACE "<rbracket>" "]" shown "${shown}")
      list(APPEND reports "${shown}")
      string(REGEX MATCH "^[^:]+:[0-9]+" place "${report}")
      list(APPEND places "${place}")
    endforeach()
  endforeach()
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "no source file found under ${ROOT} (${scanned}): wrong ROOT?")
endif()

list(JOIN reports "\n" listing)
if(DEFINED EXPECTED_FILE)
  file(STRINGS "${EXPECTED_FILE}" expected REGEX "^[^#]")
  list(SORT expected)
  list(REMOVE_DUPLICATES places)
  list(SORT places)
  if(NOT places STREQUAL expected)
    list(JOIN expected "\n" wanted)
    message(NOTICE "expected (${EXPECTED_FILE}):\n${wanted}\nreported:\n${listing}")
    message(FATAL_ERROR "the check reported other places than the planted ones")
  endif()
  list(LENGTH places n)
  message(STATUS "the check reports exactly the ${n} planted places, and none of the look-alikes")
elseif(reports)
  list(LENGTH reports n)
  message(NOTICE "${listing}")
  message(FATAL_ERROR "${n} platform call(s) outside their platform folder: move them behind a portable interface "
                      "(e.g. registry/hive/HiveFile.h, server/Process.h) implemented in posix/ or unix/, or win/")
else()
  message(STATUS "${count} files: platform code only in posix/, unix/ and win/ folders")
endif()
