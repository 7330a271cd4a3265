import init, * as bindings from './folio-app-491d19a3c79cf94b.js';
const wasm = await init({ module_or_path: './folio-app-491d19a3c79cf94b_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
