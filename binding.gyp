# node-gyp entry for the same addon CMakeLists.txt builds. Nothing here is hand-copied: sources,
# libtorch paths, ABI and version come from scripts/gyp-config.mjs (the discovery CMake uses).
{
  "targets": [
    {
      "target_name": "roboalign_core",
      "sources": ["<!@(node scripts/gyp-config.mjs sources)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/gyp-config.mjs include_dirs)"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "<!@(node scripts/gyp-config.mjs defines)"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["<!@(node scripts/gyp-config.mjs cflags_cc)", "-fexceptions", "-frtti", "-fvisibility=hidden", "-Wno-unused-parameter"],
      "libraries": ["<!@(node scripts/gyp-config.mjs libraries)"],
      "ldflags": ["<!@(node scripts/gyp-config.mjs ldflags)"]
    }
  ]
}
