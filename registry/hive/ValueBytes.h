// The stored bytes of one value in a hive tree. Most values are small (a DWORD, a QWORD, a short string: a third of
// a real system.reg's, three fifths of a user.reg's): up to kInline bytes live inside the object, with no heap block
// of their own (which took 32 bytes and a malloc each); longer ones take one block of exactly their size. It reads
// like a const std::vector<std::uint8_t> and turns into one (or a span) where a caller wants that.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <vector>

namespace regbridge::hive {

class ValueBytes {
public:
  static constexpr std::size_t kInline = 20;
  using value_type = std::uint8_t;
  using const_iterator = const std::uint8_t*;
  using iterator = const_iterator;

  ValueBytes() = default;
  ValueBytes(std::span<const std::uint8_t> bytes) { assign(bytes.data(), bytes.size()); }
  ValueBytes(const std::vector<std::uint8_t>& bytes) { assign(bytes.data(), bytes.size()); }
  ValueBytes(std::initializer_list<std::uint8_t> bytes) { assign(bytes.begin(), bytes.size()); }
  ValueBytes(const ValueBytes& other) { assign(other.data(), other.size()); }
  ValueBytes(ValueBytes&& other) noexcept : size_(other.size_) {
    std::memcpy(storage_, other.storage_, sizeof storage_);
    other.size_ = 0;
  }
  ValueBytes& operator=(const ValueBytes& other) {
    if (this != &other) {
      ValueBytes copy(other);
      *this = std::move(copy);
    }
    return *this;
  }
  ValueBytes& operator=(ValueBytes&& other) noexcept {
    if (this != &other) {
      release();
      size_ = other.size_;
      std::memcpy(storage_, other.storage_, sizeof storage_);
      other.size_ = 0;
    }
    return *this;
  }
  ~ValueBytes() { release(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::uint8_t* data() const { return onHeap() ? heap() : storage_; }
  const_iterator begin() const { return data(); }
  const_iterator end() const { return data() + size_; }
  std::uint8_t operator[](std::size_t i) const { return data()[i]; }

  operator std::span<const std::uint8_t>() const { return {data(), size_}; }
  operator std::vector<std::uint8_t>() const { return {begin(), end()}; }

  friend bool operator==(const ValueBytes& a, const ValueBytes& b) { return std::ranges::equal(a, b); }
  friend bool operator==(const ValueBytes& a, const std::vector<std::uint8_t>& b) { return std::ranges::equal(a, b); }

private:
  bool onHeap() const { return size_ > kInline; }
  std::uint8_t* heap() const {
    std::uint8_t* p;
    std::memcpy(&p, storage_, sizeof p);
    return p;
  }
  void assign(const std::uint8_t* bytes, std::size_t n) {
    // Windows keeps values below 4 GiB, and so do Wine's files.
    if (n > UINT32_MAX) throw std::length_error("a registry value of 4 GiB or more");
    size_ = std::uint32_t(n);
    if (onHeap()) {
      auto* p = new std::uint8_t[n];
      std::memcpy(p, bytes, n);
      std::memcpy(storage_, &p, sizeof p);
    } else if (n > 0) {
      std::memcpy(storage_, bytes, n);
    }
  }
  void release() {
    if (onHeap()) delete[] heap();
    size_ = 0;
  }

  std::uint8_t storage_[kInline] = {}; // the bytes, or (when longer) a pointer to them
  std::uint32_t size_ = 0;
};

} // namespace regbridge::hive
