import init, * as bindings from './folio-app-4246b7cef7241dc9.js';
const wasm = await init({ module_or_path: './folio-app-4246b7cef7241dc9_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
