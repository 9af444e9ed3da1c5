// Preloaded into electronegativity by build/electronegativity-gate.ts: its only network use (fetching
// translations and Electron release data) goes through `got`, which this replaces with an immediate
// refusal, so the gate never contacts anything and behaves the same on- and offline.
const Module = require('node:module');
const originalLoad = Module._load;
const refuse = () => Promise.reject(new Error('network access disabled by the Fieldkit electronegativity gate'));
Module._load = function load(request, parent, isMain) {
  if (request === 'got') return Object.assign(refuse, { default: refuse, get: refuse });
  return originalLoad.call(this, request, parent, isMain);
};
