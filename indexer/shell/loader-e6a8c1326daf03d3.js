import init, * as bindings from './folio-app-2b0d4e8ca49b3ca6.js';
const wasm = await init({ module_or_path: './folio-app-2b0d4e8ca49b3ca6_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
