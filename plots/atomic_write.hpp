#pragma once
// Files appear whole or not at all: write under a temporary name in the same directory,
// then rename (atomic on POSIX file systems), so a reader never sees half a figure.
#include <filesystem>
#include <string_view>

namespace cotdyn::plots {

// A fresh name next to `target` (same directory, hidden, unique per process and call).
std::filesystem::path temporary_sibling(const std::filesystem::path& target);

// Writes `content` to `target` atomically; throws std::runtime_error naming the file on failure.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

}  // namespace cotdyn::plots
