// A jest transform for PGlite's CommonJS build, so tests can run PGlite in-process as the product does:
// PGlite loads Node built-ins with import(), which jest's module sandbox refuses without
// --experimental-vm-modules. Each `import("<built-in>")` becomes `Promise.resolve(require("<built-in>"))`,
// with the module's own require taken before PGlite's code can shadow the name.
const { createHash } = require('node:crypto');
const { builtinModules } = require('node:module');

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const VERSION = '1';

module.exports = {
  process(source) {
    const code = source.replace(/\bimport\("([^"]+)"\)/g, (call, name) => (builtins.has(name) ? `Promise.resolve(__requireBuiltin(${JSON.stringify(name)}))` : call));
    const strict = /^(['"])use strict\1;?/.exec(code);
    const head = strict ? strict[0] : '';
    return { code: `${head}var __requireBuiltin = require;${code.slice(head.length)}` };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update(VERSION).update(path).update(source).digest('hex');
  },
};
