// JSON <-> every params and result struct of the handler table, derived from the field lists; and the hand-written
// forms of type codes, typed data, bytes and timestamps (PROTOCOL.md "Values").
#include <gtest/gtest.h>

#include <limits>

#include "protocol/Base64.h"
#include "protocol/IsoTime.h"
#include "protocol/JsonCodec.h"
#include "registry/Operations.h"

using namespace regbridge;
using namespace regbridge::protocol;
using json = nlohmann::ordered_json;

namespace {

template <class T> T roundTrip(const T& value) { return fromJson<T>(toJson(value), "result"); }

template <class T> std::string decodeError(const json& j) {
  try {
    fromJson<T>(j);
  } catch (const DecodeError& e) {
    return e.what();
  }
  return "(no error)";
}

} // namespace

TEST(JsonCodecTest, ParamsStructsRoundTrip) {
  EXPECT_EQ(roundTrip(KeyParams{"HKCU\\a"}).key, "HKCU\\a");
  auto open = roundTrip(KeyOpenParams{"HKCU\\a", true});
  EXPECT_EQ(open.key, "HKCU\\a");
  EXPECT_TRUE(open.openLink);
  auto value = roundTrip(ValueParams{"HKCU\\a", "n"});
  EXPECT_EQ(value.name, "n");
  auto read = roundTrip(ReadValueParams{"k", "n", true, true});
  EXPECT_TRUE(read.raw && read.openLink);
  auto list = roundTrip(ListValuesParams{"k", true, false});
  EXPECT_TRUE(list.raw);
  EXPECT_FALSE(list.openLink);
  auto del = roundTrip(DeleteKeyParams{"k", true});
  EXPECT_TRUE(del.recursive);
  EXPECT_EQ(toJson(NoParams{}), json::object());
  auto write = roundTrip(WriteValueParams{"k", "n", {{REG_MULTI_SZ}, std::vector<std::string>{"a", "", "é"}}});
  EXPECT_EQ(write.value, (RegValue{{REG_MULTI_SZ}, std::vector<std::string>{"a", "", "é"}}));
}

TEST(JsonCodecTest, FieldNamesComeFromTheFieldLists) {
  EXPECT_EQ(toJson(ReadValueParams{"k", "n", false, true}),
            (json{{"key", "k"}, {"name", "n"}, {"raw", false}, {"openLink", true}}));
}

TEST(JsonCodecTest, EveryValueDataAlternativeRoundTrips) {
  std::vector<RegValue> values = {
      {{REG_SZ}, std::string("héllo")},
      {{REG_EXPAND_SZ}, std::string("%PATH%")},
      {{REG_MULTI_SZ}, std::vector<std::string>{}},
      {{REG_DWORD}, std::int64_t{4294967295}},
      {{REG_DWORD_BIG_ENDIAN}, std::int64_t{1}},
      {{REG_QWORD}, std::numeric_limits<std::uint64_t>::max()},
      {{REG_QWORD}, std::uint64_t{0}},
      {{REG_BINARY}, Bytes{{0, 1, 2, 0xff}}},
      {{REG_NONE}, Bytes{}},
      {{0x12345678}, Bytes{{9}}},
      {{REG_SZ}, Bytes{{0x00, 0xd8}}}, // a raw read of a string that is not well-formed UTF-16
  };
  for (const auto& v : values) EXPECT_EQ(roundTrip(v), v) << toJson(v).dump();
}

TEST(JsonCodecTest, WireFormsOfValues) {
  EXPECT_EQ(toJson(RegValue{{REG_QWORD}, std::numeric_limits<std::uint64_t>::max()}),
            (json{{"type", "REG_QWORD"}, {"data", "18446744073709551615"}}));
  EXPECT_EQ(toJson(RegValue{{REG_BINARY}, Bytes{{1, 2, 3}}}),
            (json{{"type", "REG_BINARY"}, {"data", {{"base64", "AQID"}}}}));
  EXPECT_EQ(toJson(RegValue{{REG_DWORD}, std::int64_t{31}}), (json{{"type", "REG_DWORD"}, {"data", 31}}));
  EXPECT_EQ(toJson(RegValue{{4660}, Bytes{}}), (json{{"type", 4660}, {"data", {{"base64", ""}}}}));
  EXPECT_EQ(toJson(ValueType{8}), "REG_RESOURCE_LIST");
  EXPECT_EQ(toJson(NamedValue{"", {REG_SZ}, std::string("x")}),
            (json{{"name", ""}, {"type", "REG_SZ"}, {"data", "x"}}));
}

TEST(JsonCodecTest, ResultsRoundTrip) {
  std::vector<NamedValue> list = {
      {"a", {REG_SZ}, std::string("1")}, {"B", {REG_QWORD}, std::uint64_t{1} << 63}, {"", {REG_BINARY}, Bytes{{1}}}};
  EXPECT_EQ(roundTrip(list), list);
  std::vector<std::string> names = {"x", "Y"};
  EXPECT_EQ(roundTrip(names), names);
  EXPECT_TRUE(roundTrip(true));
  EXPECT_EQ(toJson(Empty{}), nullptr);
  EXPECT_EQ(toJson(std::string("s")), "s");
}

TEST(JsonCodecTest, KeyInfoOptionalFieldsAreLeftOutWhenEmpty) {
  KeyInfo bare{3, 4, {kFileTimeUnixEpoch}, std::nullopt, std::nullopt};
  json j = toJson(bare);
  EXPECT_EQ(j, (json{{"subkeyCount", 3}, {"valueCount", 4}, {"lastWriteTime", "1970-01-01T00:00:00.000Z"}}));
  KeyInfo back = roundTrip(bare);
  EXPECT_EQ(back.subkeyCount, 3u);
  EXPECT_EQ(back.lastWriteTime, bare.lastWriteTime);
  EXPECT_FALSE(back.className || back.linkTarget);

  KeyInfo full{0, 0, {kFileTimeUnixEpoch + 1'234'0000}, "cls", "HKLM\\Target"};
  KeyInfo fullBack = roundTrip(full);
  EXPECT_EQ(fullBack.className, "cls");
  EXPECT_EQ(fullBack.linkTarget, "HKLM\\Target");
  EXPECT_EQ(fullBack.lastWriteTime, full.lastWriteTime);
  EXPECT_EQ(toJson(full)["lastWriteTime"], "1970-01-01T00:00:01.234Z");
  // null is the same as absent for an optional field.
  json withNull = toJson(bare);
  withNull["className"] = nullptr;
  EXPECT_FALSE(fromJson<KeyInfo>(withNull, "result").className);
}

TEST(JsonCodecTest, MissingBoolsAreFalseMissingStringsAreErrors) {
  auto p = fromJson<ReadValueParams>(json{{"key", "k"}, {"name", ""}});
  EXPECT_FALSE(p.raw);
  EXPECT_FALSE(p.openLink);
  EXPECT_EQ(decodeError<ReadValueParams>(json{{"key", "k"}}), "params.name: missing");
  EXPECT_EQ(decodeError<KeyParams>(nullptr), "params.key: missing");
  EXPECT_NO_THROW(fromJson<NoParams>(nullptr));
}

TEST(JsonCodecTest, DecodeErrorsNameTheJsonPath) {
  EXPECT_EQ(decodeError<KeyParams>(json{{"key", 5}}), "params.key: expected a string, got an integer");
  EXPECT_EQ(decodeError<ReadValueParams>(json{{"key", "k"}, {"name", "n"}, {"raw", "yes"}}),
            "params.raw: expected a boolean, got a string");
  EXPECT_EQ(decodeError<KeyParams>(json{{"key", "k"}, {"recursive", true}}), "params.recursive: unknown parameter");
  EXPECT_EQ(decodeError<KeyParams>(json::array()), "params: expected an object, got an array");
  json write = {{"key", "k"}, {"name", "n"}, {"value", {{"type", "REG_SZ"}, {"data", true}}}};
  EXPECT_EQ(decodeError<WriteValueParams>(write),
            "params.value.data: expected a string, an array of strings, an integer or {\"base64\": \"...\"}, got a "
            "boolean");
  write["value"]["data"] = json::array({"a", 1});
  EXPECT_EQ(decodeError<WriteValueParams>(write), "params.value.data[1]: expected a string, got an integer");
  write["value"] = {{"type", "REG_SZ"}, {"data", "x"}, {"extra", 1}};
  EXPECT_EQ(decodeError<WriteValueParams>(write), "params.value.extra: unknown field");
  write["value"] = {{"data", "x"}};
  EXPECT_EQ(decodeError<WriteValueParams>(write), "params.value.type: missing");
}

TEST(JsonCodecTest, ValueTypeNamesAndNumbers) {
  json write = {{"key", "k"}, {"name", "n"}, {"value", {{"type", 11}, {"data", "5"}}}};
  EXPECT_EQ(fromJson<WriteValueParams>(write).value, (RegValue{{REG_QWORD}, std::uint64_t{5}}));
  write["value"]["type"] = "REG_WHATEVER";
  EXPECT_NE(decodeError<WriteValueParams>(write).find("params.value.type: unknown type name 'REG_WHATEVER'"),
            std::string::npos);
  write["value"]["type"] = -1;
  EXPECT_NE(decodeError<WriteValueParams>(write).find("params.value.type: type code -1 is negative"),
            std::string::npos);
  write["value"]["type"] = 4294967296;
  EXPECT_NE(decodeError<WriteValueParams>(write).find("params.value.type: expected"), std::string::npos);
}

TEST(JsonCodecTest, QwordDecimalStrings) {
  auto decode = [](json data) {
    return fromJson<RegValue>(json{{"type", "REG_QWORD"}, {"data", data}}, "params.value");
  };
  EXPECT_EQ(decode("18446744073709551615").data, ValueData{std::numeric_limits<std::uint64_t>::max()});
  EXPECT_EQ(decode("0").data, ValueData{std::uint64_t{0}});
  // A number is accepted too (it is exact up to 2^53 in JS); the server always answers with a string.
  EXPECT_EQ(decode(42).data, ValueData{std::int64_t{42}});
  // Anything else stays a string: the core refuses it (ValueCodecTests), in the words the addon's callers read too.
  for (json bad : {json("18446744073709551616"), json("-1"), json(""), json("1e3"), json(" 1"), json("0x10")})
    EXPECT_EQ(decode(bad).data, ValueData{bad.get<std::string>()}) << bad.dump();
  // For other types a string stays a string, whatever it looks like.
  EXPECT_EQ(fromJson<RegValue>(json{{"type", "REG_SZ"}, {"data", "18"}}).data, ValueData{std::string("18")});
}

TEST(JsonCodecTest, IntegersMustBeIntegralAndInRange) {
  auto decode = [](json data) { return fromJson<RegValue>(json{{"type", "REG_DWORD"}, {"data", data}}); };
  EXPECT_EQ(decode(-5).data, ValueData{std::int64_t{-5}});
  EXPECT_THROW(decode(1.5), DecodeError);
  // Integers are exact up to 2^64 - 1 (a bigint written as digits); whether one fits the type is the core's to say.
  EXPECT_EQ(decode(18446744073709551615ULL).data, ValueData{std::numeric_limits<std::uint64_t>::max()});
  EXPECT_THROW(
      fromJson<KeyInfo>(json{{"subkeyCount", -1}, {"valueCount", 0}, {"lastWriteTime", "1970-01-01T00:00:00Z"}}),
      DecodeError);
  EXPECT_THROW(fromJson<KeyInfo>(
                   json{{"subkeyCount", 4294967296}, {"valueCount", 0}, {"lastWriteTime", "1970-01-01T00:00:00Z"}}),
               DecodeError);
}

TEST(JsonCodecTest, BytesAreCanonicalBase64Objects) {
  auto decode = [](json data) { return fromJson<RegValue>(json{{"type", "REG_BINARY"}, {"data", data}}).data; };
  EXPECT_EQ(decode({{"base64", "AAEC/w=="}}), (ValueData{Bytes{{0, 1, 2, 0xff}}}));
  EXPECT_EQ(decode({{"base64", ""}}), ValueData{Bytes{}});
  for (json bad : {json{{"base64", "AAE"}}, json{{"base64", "AA=C"}}, json{{"base64", "AB=="}},
                   json{{"base64", "A A="}}, json{{"base64", 5}}, json{{"b64", "AA=="}}, json::object()})
    EXPECT_THROW(decode(bad), DecodeError) << bad.dump();
}

TEST(JsonCodecTest, Base64AllLengths) {
  std::vector<std::uint8_t> bytes;
  for (int n = 0; n < 40; ++n) {
    std::string text = encodeBase64(bytes);
    EXPECT_EQ(text.size() % 4, 0u);
    EXPECT_EQ(decodeBase64(text), bytes) << text;
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
  EXPECT_EQ(encodeBase64({'M', 'a', 'n'}), "TWFu");
  EXPECT_EQ(encodeBase64({'M', 'a'}), "TWE=");
  EXPECT_EQ(encodeBase64({'M'}), "TQ==");
}

TEST(JsonCodecTest, IsoTimes) {
  EXPECT_EQ(fileTimeToIso(0), "1601-01-01T00:00:00.000Z");
  EXPECT_EQ(fileTimeToIso(kFileTimeUnixEpoch), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(fileTimeToIso(134400603501230000ULL), "2026-11-25T06:05:50.123Z");
  EXPECT_EQ(fileTimeToIso(134400603501239999ULL), "2026-11-25T06:05:50.123Z"); // sub-ms ticks dropped
  EXPECT_EQ(fileTimeToIso(std::numeric_limits<std::uint64_t>::max()), "+060056-05-28T05:36:10.955Z");
  EXPECT_EQ(fileTimeToIso(0x7fffffffffffffffULL), "+030828-09-14T02:48:05.477Z"); // Windows' own maximum
  EXPECT_EQ(isoToFileTime("2026-11-25T06:05:50.123Z"), 134400603501230000ULL);
  EXPECT_EQ(isoToFileTime("2026-11-25T06:05:50.1234567Z"), 134400603501234567ULL);
  EXPECT_EQ(isoToFileTime("2026-11-25T06:05:50Z"), 134400603500000000ULL);
  EXPECT_EQ(isoToFileTime("1601-01-01T00:00:00.000Z"), 0u);
  EXPECT_EQ(isoToFileTime("+060056-05-28T05:36:10.955Z"), 18446744073709550000ULL);
  EXPECT_FALSE(isoToFileTime("+060056-05-28T05:36:10.956Z")); // past the largest FILETIME
  for (const char* bad : {"1600-12-31T23:59:59.999Z", "2026-02-30T00:00:00Z", "2026-11-25 06:05:50Z",
                          "2026-11-25T06:05:50.123", "2026-11-25T06:05:50.123+01:00", "2026-11-25T24:00:00Z", ""})
    EXPECT_FALSE(isoToFileTime(bad)) << bad;
}

TEST(JsonCodecTest, TheViewIs32Or64AndLeftOutWhenDefault) {
  EXPECT_EQ(fromJson<KeyParams>(json{{"key", "k"}}).view, RegistryView::Default);
  EXPECT_EQ(fromJson<KeyParams>(json{{"key", "k"}, {"view", 32}}).view, RegistryView::Bits32);
  EXPECT_EQ(fromJson<ReadValueParams>(json::parse(R"({"key":"k","name":"n","view":64})")).view, RegistryView::Bits64);
  EXPECT_EQ(toJson(KeyParams{"k"}), (json{{"key", "k"}}));
  EXPECT_EQ(toJson(KeyParams{"k", RegistryView::Bits32}), (json{{"key", "k"}, {"view", 32}}));
  EXPECT_EQ(roundTrip(DeleteKeyParams{"k", true, RegistryView::Bits64}).view, RegistryView::Bits64);
  EXPECT_EQ(decodeError<KeyParams>(json{{"key", "k"}, {"view", 16}}),
            "params.view: the registry view must be 32 or 64, got 16");
  EXPECT_EQ(decodeError<KeyParams>(json{{"key", "k"}, {"view", "32"}}), "params.view: expected 32 or 64, got a string");
  EXPECT_EQ(decodeError<KeyParams>(json::parse(R"({"key":"k","view":32.0})")),
            "params.view: expected 32 or 64, got a fractional number");
  EXPECT_EQ(decodeError<KeyParams>(json{{"key", "k"}, {"view", nullptr}}), "params.view: expected 32 or 64, got null");
}
