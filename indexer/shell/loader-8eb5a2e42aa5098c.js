import init, * as bindings from './folio-app-c01c3b6a50004ddf.js';
const wasm = await init({ module_or_path: './folio-app-c01c3b6a50004ddf_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
