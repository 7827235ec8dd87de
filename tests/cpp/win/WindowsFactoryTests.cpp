// The Windows factory: the hive store is not part of the Windows build, so asking for one by its prefix must fail
// with a clear error instead of silently opening the system registry.
#include <gtest/gtest.h>

#include "registry/Backend.h"
#include "registry/Error.h"

namespace regbridge {
namespace {

TEST(WindowsFactoryTest, RefusesAPrefixNamingWhy) {
  try {
    openBackend({.prefix = "C:\\prefix"});
    FAIL() << "openBackend accepted a prefix on Windows";
  } catch (const RegistryError& error) {
    EXPECT_EQ(error.code(), ErrorCode::InvalidArgument);
    EXPECT_NE(std::string(error.what()).find("C:\\prefix"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("not part of the Windows build"), std::string::npos) << error.what();
  }
}

} // namespace
} // namespace regbridge
