import init, * as bindings from './folio-app-fb36f9983a15eb0d.js';
const wasm = await init({ module_or_path: './folio-app-fb36f9983a15eb0d_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
