#!/usr/bin/env -S node --
// `node --` ends Node's own options: Node 20 and 22 otherwise read an `--env-file` meant for
// fintoken themselves (nodejs/node#54232) and exit 9 on a missing file before fintoken starts.
import '../dist/cli.js';
