#pragma once
// The output directory of a command (`--out DIR`, Python's out=): created only after every input has
// been checked, refused at once when no file can be made in it, and locked against a second writer
// (core::DirectoryLock) for as long as the returned object lives.
#include <filesystem>
#include <memory>
#include <string>

#include <cotdyn/core/directory_lock.hpp>

namespace cotdyn::core {

struct OutputDirectory {
  std::filesystem::path path;
  std::shared_ptr<DirectoryLock> lock;  // released when the last copy goes
};

// std::invalid_argument naming `--out DIR` when the directory cannot be created, written or locked.
OutputDirectory open_output_directory(const std::string& out);

}  // namespace cotdyn::core
