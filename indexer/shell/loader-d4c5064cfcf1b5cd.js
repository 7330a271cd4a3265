import init, * as bindings from './folio-app-66148387d3244e64.js';
const wasm = await init({ module_or_path: './folio-app-66148387d3244e64_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
