// Loaded by mocha before any test file (.mocharc.json "require"): waits for the backend selection,
// so a suite that builds tensors while mocha loads it (describe bodies run at load) never meets
// the uninitialised wasm backend, which throws rather than silently running on cpu. The module is
// required through tsx's CommonJS hook, so the tests share this instance of the library.
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const { ready } = require('../../lib/backend/select.ts');
await ready();
