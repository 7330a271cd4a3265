import init, * as bindings from './folio-app-4ef5a467b6a27a47.js';
const wasm = await init({ module_or_path: './folio-app-4ef5a467b6a27a47_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
