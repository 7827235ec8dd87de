// Backend::applyEdits as every backend without an override of its own makes it (the Windows registry's), over an
// in-memory backend: each edit on its own, deletions of what is missing no error, a failure not stopping the others
// and thrown once all have run. The hive store's own one is tested in RegFileRoundTripTests.
#include <gtest/gtest.h>

#include "registry/Error.h"
#include "registry/Value.h"
#include "registry/regfile/RegFileApply.h"
#include "registry/regfile/RegFileParser.h"
#include "tests/cpp/DispatchFakeBackend.h"

using namespace regbridge;

namespace {

// Refuses every write under a key named "Denied", as a registry refuses a key the user may not write.
class RefusingBackend : public test::DispatchFakeBackend {
public:
  void writeValue(const KeyPath& path, std::string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) override {
    if (path.toString().find("Denied") != std::string::npos)
      throw RegistryError(ErrorCode::AccessDenied, "access denied", std::string(path.original));
    DispatchFakeBackend::writeValue(path, name, type, data);
  }
};

bool hasValue(Backend& backend, const std::string& key, const std::string& name) {
  try {
    backend.readValue(KeyPath::parse(key), name, {});
    return true;
  } catch (const RegistryError&) {
    return false;
  }
}

} // namespace

TEST(RegFileApplyTest, DeletingWhatIsMissingIsNoError) {
  RefusingBackend backend;
  applyRegEdits(backend, parseRegFile("REGEDIT4\r\n[-HKCU\\Never]\r\n[HKCU\\A]\r\n\"gone\"=-\r\n[-HKCU\\A\\B]\r\n"));
  EXPECT_TRUE(backend.keyExists(KeyPath::parse("HKCU\\A")));
}

TEST(RegFileApplyTest, AFailingEditDoesNotStopTheOthersAndIsThrownAfterThem) {
  RefusingBackend backend;
  const std::vector<RegEdit> edits = parseRegFile("REGEDIT4\r\n"
                                                  "[HKCU\\Denied]\r\n\"one\"=\"1\"\r\n"
                                                  "[HKCU\\Fine]\r\n\"two\"=\"2\"\r\n"
                                                  "[HKCU\\Denied\\Too]\r\n\"three\"=\"3\"\r\n");
  try {
    applyRegEdits(backend, edits);
    FAIL() << "no error";
  } catch (const RegistryError& error) {
    EXPECT_EQ(error.code(), ErrorCode::AccessDenied);
    EXPECT_EQ(error.key(), "HKCU\\Denied"); // the first of the two
  }
  EXPECT_TRUE(hasValue(backend, "HKCU\\Fine", "two"));
  EXPECT_FALSE(hasValue(backend, "HKCU\\Denied", "one"));
}
