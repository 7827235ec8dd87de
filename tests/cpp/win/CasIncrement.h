// One compare-and-set increment, shared by the Win32 compare-and-set test and its child program
// (children/CasIncrementer.cpp), so that both processes race with the same steps.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "registry/Backend.h"
#include "registry/Error.h"
#include "registry/Operations.h"
#include "registry/Value.h"

namespace regbridge::test {

// Adds one to the DWORD `count` of `key`, by read, compute, compareAndSetValue, again on ERR_VALUE_CHANGED.
inline void incrementCount(Backend& backend, const std::string& key) {
  while (true) {
    RegValue current = ReadValue::run(backend, {key, "count"});
    const auto next = std::get<std::int64_t>(current.data) + 1;
    try {
      CompareAndSetValue::run(backend, {key, "count", current, RegValue{{REG_DWORD}, next}});
      return;
    } catch (const RegistryError& e) {
      if (e.code() != ErrorCode::ValueChanged) throw;
    }
  }
}

} // namespace regbridge::test
