#!/usr/bin/env node
// npm's install hook. Without it npm would run `node-gyp rebuild` because binding.gyp exists;
// the native build belongs to scripts/setup.sh, which finds (or installs) libtorch first.
if (!process.env.ROBOALIGN_SETUP) {
  process.stdout.write("roboalign: run `npm run setup` to install libtorch and build the native core.\n");
}
