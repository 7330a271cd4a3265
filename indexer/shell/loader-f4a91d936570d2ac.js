import init, * as bindings from './folio-app-501b3d2b45798e3c.js';
const wasm = await init({ module_or_path: './folio-app-501b3d2b45798e3c_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
