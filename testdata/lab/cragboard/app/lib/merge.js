'use strict';
// deepMerge(target, source): the member settings patch, merged key by key into
// what is stored. '__proto__' is skipped (the lodash merge advisory of 2019).
function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
function deepMerge(target, source) {
  for (const key of Object.keys(source)) {
    if (key === '__proto__') continue;
    if (isObj(source[key])) {
      if (!target[key]) target[key] = {};
      deepMerge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}
module.exports = { deepMerge };
