// Wine's lowercase table for the hot loops of the hive code (name lookups, parsing); foldCase() in HiveTree.h is the
// public face of the same table.
#pragma once

#include <array>

namespace regbridge::hive {

using WineLowerTable = std::array<char16_t, 0x10000>;
extern const WineLowerTable kWineLowerCase;

inline char16_t foldUnit(char16_t c) { return kWineLowerCase[c]; }

} // namespace regbridge::hive
