// Read-only memory map of a weights file: tensors are copied straight from the page cache into
// parameters, so loading never holds a second full copy of the checkpoint in RAM.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace roboalign::safetensors {

class MappedFile {
 public:
  explicit MappedFile(const std::string& path);  // throws CoreError(FileNotFound / Checkpoint)
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace roboalign::safetensors
