import init, * as bindings from './folio-app-d4521be9807fe45e.js';
const wasm = await init({ module_or_path: './folio-app-d4521be9807fe45e_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
