#!/usr/bin/env node
// The `inapp-consent` command (see `inapp-consent lint --help`); the code is built into dist/.
import '../dist/cli.js';
