# A cross build cannot link the host's libgtest (a Linux library), so GoogleTest is compiled from its sources by
# the same compiler (Debian's googletest package puts them in /usr/src/googletest). Its threads need the "-posix"
# mingw compiler; the toolchain file picks that one. Defines GTest::gtest and GTest::gtest_main, as
# find_package(GTest) does on Linux.

set(REGBRIDGE_GTEST_SOURCE_DIR /usr/src/googletest CACHE PATH "GoogleTest sources, compiled for cross builds")
if(NOT EXISTS ${REGBRIDGE_GTEST_SOURCE_DIR}/CMakeLists.txt)
  message(FATAL_ERROR "${REGBRIDGE_GTEST_SOURCE_DIR} holds no GoogleTest sources (Debian: apt-get install googletest)")
endif()
set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
# GoogleTest looks for Python only to run its own tests, which are not built here.
set(CMAKE_DISABLE_FIND_PACKAGE_Python ON)
add_subdirectory(${REGBRIDGE_GTEST_SOURCE_DIR} ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL SYSTEM)
foreach(lib gtest gtest_main)
  if(NOT TARGET GTest::${lib})
    add_library(GTest::${lib} ALIAS ${lib})
  endif()
endforeach()
