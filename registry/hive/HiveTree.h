// The in-memory form of one Wine hive file: a tree of keys with their values, kept in Wine's order so that saving
// an unchanged tree reproduces the file byte for byte. Names are UTF-16 code units, exactly as stored.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/hive/ChildIndex.h"
#include "registry/hive/ValueBytes.h"

namespace regbridge::hive {

struct HiveValue {
  std::u16string name; // empty: the default value (`@=`)
  std::uint32_t type = 0;
  ValueBytes data; // the stored bytes (REG_SZ: UTF-16LE with its final NUL, as Windows keeps it)
};

// Wine's case folding of one code unit (server/unicode.c tables), and the order Wine keeps names in: the folded
// code units compared one by one, a shorter name first when it is a prefix of the other.
char16_t foldCase(char16_t c);
std::u16string foldName(std::u16string_view name);
int compareNames(std::u16string_view a, std::u16string_view b); // <0, 0, >0

// Where a key's lines lie in the hive's savedText (Hive::savedText), kept so that the next save of an unchanged key
// copies them instead of formatting them again: a write rewrites the whole file, and formatting it was most of a
// write's cost. The text is the last joined save of the keys' lines, or the file itself where the parser found a
// key's lines exactly as the writer would write them. The keys' lines lie there one after the other in file order, so
// a save hands the kernel a few long pieces rather than one per key (HiveWriter.cpp).
struct SavedLines {
  std::size_t begin = 0; // where the key's own lines start; while subtreeValid, where its whole subtree starts
  std::size_t end = 0;   // while subtreeValid: where the subtree (its lines and all its descendants') ends
  // The length of the key's own lines (key line, times, class, link flag, values). Lines of 4 GiB or more are never
  // recorded (ownValid stays false): they are formatted again when needed.
  std::uint32_t ownLength = 0;
  bool ownValid = false; // savedText[begin, begin + ownLength) are the key's own lines as they are now
  // The whole subtree is in savedText[begin, end) as it is now: a save copies it as one piece without visiting the
  // keys in it. Any change in the subtree clears it, up to the root.
  bool subtreeValid = false;
};

class HiveKey {
public:
  HiveKey(std::u16string name, HiveKey* parent);
  HiveKey(const HiveKey&) = delete;
  HiveKey& operator=(const HiveKey&) = delete;
  // Takes the subkeys and values and points the subkeys at their new parent, so that a Hive (and a ParseResult)
  // can be returned and moved by value. The moved-from key is left without subkeys or values.
  HiveKey(HiveKey&& other) noexcept;

  const std::u16string& name() const { return name_; }
  std::uint32_t foldedHash() const { return foldedHash_; } // foldedNameHash(name()), for the parent's ChildIndex
  HiveKey* parent() const { return parent_; }

  // FILETIME ticks; `#time=` and the seconds on the key line derive from it.
  std::uint64_t modified() const { return modified_; }
  // Most keys have none: kept behind a pointer, which takes a fifth of the room an optional string took in every key.
  std::optional<std::u16string_view> className() const {
    if (!className_) return std::nullopt;
    return std::u16string_view(*className_);
  }
  bool isLink() const { return isLink_; }         // `#link`: follow its SymbolicLinkValue when resolving paths
  bool isVolatile() const { return isVolatile_; } // never written to the file
  // Every change goes through a setter, so that saves know what changed (SavedLines).
  void setModified(std::uint64_t fileTime);
  void setClassName(std::optional<std::u16string_view> name);
  void setLink(bool isLink);
  void setVolatile(bool isVolatile);

  const std::vector<std::unique_ptr<HiveKey>>& subkeys() const { return subkeys_; }
  const std::vector<HiveValue>& values() const { return values_; }

  // Case-insensitive lookups (binary search in Wine's order).
  HiveKey* findSubkey(std::u16string_view name) const;
  const HiveValue* findValue(std::u16string_view name) const;

  // Returns the existing subkey of that name, or a new one inserted where Wine would put it (modified() = 0: the
  // caller stamps it).
  HiveKey& addSubkey(std::u16string_view name);
  bool removeSubkey(std::u16string_view name);
  // Inserts or replaces (keeping the stored name's case when replacing, as Windows does). What it did tells the
  // parser of a value name given twice in a file, or one out of Wine's order: saving would change either.
  enum class SetResult { Appended, Inserted, Replaced };
  SetResult setValue(std::u16string_view name, std::uint32_t type, ValueBytes data);
  bool removeValue(std::u16string_view name);
  // The parser's: all the values of a key that has none yet, in Wine's order, no name twice.
  void setParsedValues(std::vector<HiveValue> values) {
    values_ = std::move(values);
    changed();
  }

  // saveHive's cache of where this key's lines are (SavedLines), and of its own lines formatted since the hive's
  // savedText was last joined (null when none). Only the single writer of a tree (the one that saves it) and the
  // parser that built it touch them, so they are a cache, not state: hence const access.
  SavedLines& savedLines() const { return savedLines_; }
  std::unique_ptr<std::string>& formattedLines() const { return formattedLines_; }

private:
  // The key's own lines changed: they and the saved subtrees holding them are out of date.
  void changed() {
    savedLines_.ownValid = false;
    if (formattedLines_) formattedLines_.reset();
    subtreeChanged();
  }
  // Something below the key changed. A key whose saved subtree is out of date has ancestors out of date too (or
  // lies in a volatile subtree, which is not saved), so the walk stops there: loading a file costs nothing here.
  void subtreeChanged() {
    for (HiveKey* key = this; key && key->savedLines_.subtreeValid; key = key->parent_)
      key->savedLines_.subtreeValid = false;
  }

  // No folded copy of the name is kept: lookups fold both sides as they compare, and a copy took a tenth of a
  // loaded tree (most names are longer than the 7 units a string holds without a heap block).
  std::u16string name_;
  HiveKey* parent_;
  std::vector<std::unique_ptr<HiveKey>> subkeys_; // in Wine's order
  ChildIndex childIndex_;                         // the same subkeys by name, once there are many
  std::vector<HiveValue> values_;
  std::uint64_t modified_ = 0;
  std::unique_ptr<std::u16string> className_;
  std::uint32_t foldedHash_;
  bool isLink_ = false;
  bool isVolatile_ = false;
  mutable SavedLines savedLines_;
  mutable std::unique_ptr<std::string> formattedLines_;
};

// One parsed file.
struct Hive {
  // Everything before the first key line, verbatim (header, `;; All keys relative to …`, `#arch=…`), so that it
  // is written back unchanged.
  std::string preamble;
  std::string relativeTo; // from `;; All keys relative to X`, unescaped: e.g. `REGISTRY\Machine`
  std::string arch;       // `win64`, `win32` or empty
  HiveKey root{u"", nullptr};
  // The text the keys' SavedLines point into: the last joined save of the keys' lines (no preamble), or the file the
  // tree was parsed from (preamble and all), which checkRoundTrip adopts at the first write. Only the tree's writer
  // touches it.
  mutable std::unique_ptr<std::string> savedText;
  // The size of the file parseHive read, whose offsets the keys' SavedLines hold until checkRoundTrip adopts that
  // text (npos: none; the first save then formats every key).
  mutable std::size_t parsedSize = std::string::npos;
};

} // namespace regbridge::hive
