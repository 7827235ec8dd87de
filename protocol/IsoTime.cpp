#include "protocol/IsoTime.h"

#include <charconv>
#include <cstdio>

#include "registry/Value.h"

namespace regbridge::protocol {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
// Milliseconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01.
constexpr std::int64_t kEpochOffsetMs = static_cast<std::int64_t>(kFileTimeUnixEpoch / 10'000);

// Howard Hinnant's civil-calendar algorithms in 64-bit arithmetic: libstdc++'s year_month_day overflows for the
// last FILETIME years (30828).
struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civilFromDays(std::int64_t days) {
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  unsigned day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  unsigned month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  std::int64_t yoe = year - era * 400;
  std::int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool validDate(std::int64_t year, unsigned month, unsigned day) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap);
}

bool readDigits(std::string_view& text, std::size_t count, int& out) {
  if (text.size() < count) return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  text.remove_prefix(count);
  return true;
}

bool expect(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

} // namespace

std::string fileTimeToIso(std::uint64_t fileTime) {
  // Milliseconds since 1601 fit an int64 for every FILETIME, so the subtraction below cannot overflow.
  std::int64_t unixMs = static_cast<std::int64_t>(fileTime / 10'000) - kEpochOffsetMs;
  std::int64_t days = unixMs / kMsPerDay;
  std::int64_t msOfDay = unixMs % kMsPerDay;
  if (msOfDay < 0) msOfDay += kMsPerDay, --days;
  Civil date = civilFromDays(days);
  int year = static_cast<int>(date.year);
  char buf[40];
  std::snprintf(buf, sizeof buf,
                year > 9999 ? "+%06d-%02u-%02uT%02d:%02d:%02d.%03dZ" : "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                date.month, date.day, static_cast<int>(msOfDay / 3'600'000), static_cast<int>(msOfDay / 60'000 % 60),
                static_cast<int>(msOfDay / 1000 % 60), static_cast<int>(msOfDay % 1000));
  return buf;
}

std::optional<std::uint64_t> isoToFileTime(std::string_view text) {
  int year, month, day, hour, minute, second;
  bool expanded = !text.empty() && text.front() == '+';
  if (expanded) text.remove_prefix(1);
  if (!readDigits(text, expanded ? 6 : 4, year) || !expect(text, '-') || !readDigits(text, 2, month) ||
      !expect(text, '-') || !readDigits(text, 2, day) || !expect(text, 'T') || !readDigits(text, 2, hour) ||
      !expect(text, ':') || !readDigits(text, 2, minute) || !expect(text, ':') || !readDigits(text, 2, second))
    return std::nullopt;
  std::int64_t ticks = 0; // 100 ns units below the second
  if (!text.empty() && text.front() == '.') {
    text.remove_prefix(1);
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 7) return std::nullopt;
    int fraction = 0;
    readDigits(text, digits, fraction);
    for (std::size_t i = digits; i < 7; ++i) fraction *= 10;
    ticks = fraction;
  }
  if (text != "Z") return std::nullopt;
  if (!validDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) || hour > 23 || minute > 59 ||
      second > 59)
    return std::nullopt;
  std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  std::int64_t ms1601 = days * kMsPerDay + kEpochOffsetMs + (hour * 3600 + minute * 60 + second) * 1000LL;
  if (ms1601 < 0) return std::nullopt;
  std::uint64_t fileTime = static_cast<std::uint64_t>(ms1601);
  if (fileTime > (UINT64_MAX - static_cast<std::uint64_t>(ticks)) / 10'000) return std::nullopt;
  return fileTime * 10'000 + static_cast<std::uint64_t>(ticks);
}

} // namespace regbridge::protocol
