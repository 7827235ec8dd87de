# Cross-compiles regbridge for 64-bit Windows from Linux with mingw-w64 (Debian: g++-mingw-w64-x86-64-posix).
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake   (scripts/build-win does this)
# The "-posix" compilers are the ones with std::thread and std::mutex (winpthreads); the "-win32" flavour lacks
# them, and GoogleTest and the server need both.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(REGBRIDGE_MINGW_TRIPLET x86_64-w64-mingw32)
find_program(CMAKE_C_COMPILER ${REGBRIDGE_MINGW_TRIPLET}-gcc-posix REQUIRED)
find_program(CMAKE_CXX_COMPILER ${REGBRIDGE_MINGW_TRIPLET}-g++-posix REQUIRED)
find_program(CMAKE_RC_COMPILER ${REGBRIDGE_MINGW_TRIPLET}-windres REQUIRED)
# dlltool makes the addon's import library for node.exe from node-api-headers' .def file.
find_program(CMAKE_DLLTOOL ${REGBRIDGE_MINGW_TRIPLET}-dlltool REQUIRED)

# try_run, gtest_discover_tests and CTest start the .exe files through Wine. Without Wine the build still works;
# only running the tests does not.
find_program(REGBRIDGE_WINE wine)
if(REGBRIDGE_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${REGBRIDGE_WINE})
endif()

# Libraries, headers and packages are looked for in the mingw sysroot only, so that no Linux library or header can
# slip into a Windows binary; programs (wine, dlltool) come from the host. The header-only Boost and nlohmann/json
# are brought in explicitly by cmake/HostHeaderPackages.cmake.
set(CMAKE_FIND_ROOT_PATH /usr/${REGBRIDGE_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
